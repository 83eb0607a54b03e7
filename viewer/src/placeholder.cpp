// Placeholder translation unit until the rendering core lands (issue 6).
