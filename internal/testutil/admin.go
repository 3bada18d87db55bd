package testutil

// AdminPassword is what tests change the admins' first password to.
const AdminPassword = "Changed#2026-xt!"
