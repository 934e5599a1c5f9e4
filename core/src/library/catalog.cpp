// Filled in by the part of issue 5 that owns it.
