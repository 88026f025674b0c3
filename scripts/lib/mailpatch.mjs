// Text surgery on one git format-patch file, for test:kernel's deliberately
// bad series (written from a good patch of the real tree, which is not in the
// repository). Only what a format-patch file of kmigrate or git has:
//
//   From <sha> Mon Sep 17 00:00:00 2001      \
//   From: / Date: / Subject: (maybe folded)   | message: headers, blank line,
//   <blank line>, body, Signed-off-by: …      | body (up to the "---" line)
//   ---                                       /
//    diffstat lines …                         dropped when re-joined (git am ignores it)
//   diff --git a/x b/x … (one section per file)
//   <blank line> base-commit: … / "-- " / version   the tail
//
// Not a general mail parser: it throws when the text is not of that shape.

/** Split a format-patch file into { message, sections: [{ path, text }], tail }. */
export function splitMailPatch(text) {
  const firstDiff = text.search(/^diff --git /m);
  if (firstDiff < 0) throw new Error('no "diff --git" line');
  const head = text.slice(0, firstDiff);
  const sep = head.search(/^---$/m);
  if (sep < 0) throw new Error('no "---" line between the message and the diff');
  const message = head.slice(0, sep);

  const lines = text.slice(firstDiff).split('\n');
  let end = lines.lastIndexOf('-- ');
  if (end < 0) end = lines.length;
  if (end > 0 && lines[end - 1]?.startsWith('base-commit: ')) end--;
  if (end > 0 && lines[end - 1] === '') end--;
  const diff = `${lines.slice(0, end).join('\n')}\n`;
  const tail = lines.slice(end).join('\n');

  const sections = diff
    .split(/^(?=diff --git )/m)
    .filter((s) => s.length > 0)
    .map((s) => {
      const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(s);
      if (!m) throw new Error(`cannot read the section header: ${s.split('\n')[0]}`);
      return { path: m[2], text: s };
    });
  return { message, sections, tail };
}

/** The format-patch text of a message, some diff sections and a tail (no diffstat). */
export function joinMailPatch({ message, sections, tail }) {
  return `${message}---\n${sections.map((s) => s.text).join('')}${tail}`;
}

/** The message with its (possibly folded) Subject: header replaced. */
export function setSubject(message, subject) {
  const re = /^Subject: .*(?:\n[ \t].*)*$/m;
  if (!re.test(message)) throw new Error('no Subject: header');
  return message.replace(re, () => `Subject: ${subject}`);
}
