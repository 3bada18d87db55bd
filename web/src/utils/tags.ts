// Splitting what is typed or pasted into a tag input: commas, semicolons, whitespace and new
// lines separate entries; blanks and repeats are dropped.
export function splitTags(text: string): string[] {
  return text
    .split(/[\s,;，；、]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** `current` with `added` appended, keeping the first of any repeats. */
export function mergeTags(current: readonly string[], added: readonly string[]): string[] {
  const out = [...current]
  for (const tag of added) if (!out.includes(tag)) out.push(tag)
  return out
}
