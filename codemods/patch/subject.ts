// The prefixes of a patch mail's subject: `Re:`, `[PATCH v2 3/7]`, `[RFC PATCH net-next 1/2]`.

export interface SubjectPrefix {
  subject: string;
  n?: number;
  total?: number;
  version?: number;
  isRfc: boolean;
  isReply: boolean;
}

/**
 * Take `Re:` and `[...]` prefixes off a subject: `[PATCH v2 3/7]`,
 * `[RFC PATCH net-next 1/2]`, `Re: [PATCH]`.
 */
export function parseSubject(raw: string): SubjectPrefix {
  let s = raw.trim();
  const out: SubjectPrefix = { subject: '', isRfc: false, isReply: false };
  for (;;) {
    const re = /^(re|aw|sv|fwd?)\s*:\s*/i.exec(s);
    if (re) {
      out.isReply = true;
      s = s.slice(re[0].length);
      continue;
    }
    const br = /^\[([^\]]*)\]\s*/.exec(s);
    if (br) {
      const tag = br[1]!;
      const nn = /(?:^|\s)0*(\d+)\s*\/\s*(\d+)(?:\s|$)/.exec(tag);
      if (nn && out.n === undefined) {
        out.n = Number(nn[1]);
        out.total = Number(nn[2]);
      }
      const v = /(?:^|\s)v(\d+)(?:\s|$)/i.exec(tag);
      if (v && out.version === undefined) out.version = Number(v[1]);
      if (/(?:^|\s)RFC(?:\s|$)/i.test(tag)) out.isRfc = true;
      s = s.slice(br[0].length);
      continue;
    }
    break;
  }
  out.subject = s.trim();
  return out;
}
