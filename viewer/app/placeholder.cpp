// Placeholder translation unit until the desktop app lands (issue 6).
