// A command line as a POSIX shell reads it: the words of `lbsim run ...` that reports and JSON print, quoted once.
export function commandLine(parts: readonly string[]): string {
  return parts.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replaceAll("'", "'\\''")}'`)).join(" ");
}
