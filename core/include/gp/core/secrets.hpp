#pragma once
// Masking secrets in text that will be printed or stored: connection strings given on the
// command line (`PG:dbname=x password=secret`, `postgresql://user:secret@host/db`) must
// never reach stdout, stderr, --json, plan metadata or error messages.

#include <string>

namespace gp {

/// `text` with every password replaced by `***`:
///  - libpq/GDAL key=value pairs whose key is `password`, `pwd` or `passwd` (any case,
///    spaces around `=` allowed), the value bare or single-quoted with `\'` escapes:
///    `PG:dbname=x password='a b'` -> `PG:dbname=x password=***`;
///  - the password of a URI's user-info: `postgresql://u:secret@h/db` -> `postgresql://u:***@h/db`.
/// Everything else is unchanged, so the result still names the database and the user.
/// Idempotent. Never throws (except std::bad_alloc).
std::string mask_secrets(const std::string& text);

} // namespace gp
