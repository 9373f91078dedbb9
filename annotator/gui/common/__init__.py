"""Parts of the window that the desk and the lead's views share; imports neither."""
