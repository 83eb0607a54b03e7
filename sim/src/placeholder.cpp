// Placeholder translation unit until the simulator lands (issue 5).
