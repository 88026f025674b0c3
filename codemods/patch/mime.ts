// MIME decoding of one mail message, for the series reader (mail.ts), by
// postal-mime. A message comes in as its own bytes (an mbox is split into
// messages before anything is decoded, mbox.ts), so one message's charset
// never touches another's. postal-mime unfolds the headers, splits multipart
// bodies, undoes each part's transfer encoding (quoted-printable, base64) and
// decodes its text by the part's own charset (and format=flowed); RFC 2047
// words are decoded by its `decodeWords`. What we keep of a message: its
// headers and its plain-text and patch parts, never text/html.
//
// Each part is handed back twice: as text (the commit message is read from
// it) and as its bytes after transfer decoding (the diff is read from them):
// `git am` converts only the commit message to UTF-8 and applies the patch's
// bytes as they are, so a Latin-1 commit message does not change the UTF-8
// diff below it.

import PostalMime, { decodeWords } from 'postal-mime';

export interface Headers {
  /** An unfolded header value, not decoded; the first occurrence of a name wins. */
  get(name: string): string | undefined;
}

/** One plain-text or patch part of a message. */
export interface TextPart {
  /** Transfer encoding undone, then the part's charset applied. */
  text: string;
  /** Transfer encoding undone, the bytes as they are. */
  bytes: Uint8Array;
  /** Content-Transfer-Encoding, lower case ('8bit' when none). */
  transferEncoding: string;
}

export interface DecodedMessage {
  headers: Headers;
  /** The parts a patch mail's text is in, in order: text/* but text/html, and *.patch / *.diff attachments. */
  parts: TextPart[];
}

// postal-mime's part tree. Its declared API has only the flattened result:
// `text`, into which it renders a text/html part that has no plain
// alternative, and `attachments`, which hold no inline text part and no
// charset. The tree it parses has each part's type, charset, bytes and text,
// so we read it through this view of the fields we use. postal-mime is
// pinned to one version, and the shape is checked, so that a version that
// moves the tree fails loudly (an internal error), never silently.
interface PartNode {
  contentType: { parsed: { value: string; params: Record<string, string> }; multipart: string | false };
  contentDisposition: { parsed: { value: string; params: Record<string, string> } };
  contentTransferEncoding: { encoding: string };
  childNodes: PartNode[];
  content: ArrayBuffer | null;
  getTextContent(): string;
}

function isPartNode(n: unknown): n is PartNode {
  const p = n as Partial<PartNode> | undefined;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.contentType?.parsed?.value === 'string' &&
    typeof p.contentDisposition?.parsed?.value === 'string' &&
    typeof p.contentTransferEncoding?.encoding === 'string' &&
    Array.isArray(p.childNodes) &&
    typeof p.getTextContent === 'function'
  );
}

/** A message postal-mime refuses (nesting too deep, headers too large). */
export class MessageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageDecodeError';
  }
}

/** Decode one message (its bytes, From_ line left out). */
export async function decodeMessage(bytes: Uint8Array): Promise<DecodedMessage> {
  const parser = new PostalMime();
  let email;
  try {
    email = await parser.parse(bytes);
  } catch (e) {
    throw new MessageDecodeError(`cannot decode the message: ${e instanceof Error ? e.message : String(e)}`);
  }
  const map = new Map<string, string>();
  for (const h of email.headers) if (!map.has(h.key)) map.set(h.key, h.value);
  const root = (parser as unknown as { root?: unknown }).root;
  if (!isPartNode(root)) throw new Error('postal-mime: the parsed part tree is not where postal-mime 4.0.0 keeps it');
  const parts: TextPart[] = [];
  collectParts(root, parts);
  return { headers: { get: (n) => map.get(n.toLowerCase()) }, parts };
}

function collectParts(node: PartNode, out: TextPart[]): void {
  if (node.contentType.multipart) {
    for (const child of node.childNodes) {
      if (!isPartNode(child)) throw new Error('postal-mime: a part of the parsed tree has an unknown shape');
      collectParts(child, out);
    }
    return;
  }
  const type = node.contentType.parsed.value.toLowerCase();
  const name = node.contentDisposition.parsed.params.filename ?? node.contentType.parsed.params.name ?? '';
  // HTML is a rendering of the plain part (or no patch at all): never patch text.
  if (type === 'text/html') return;
  if (!type.startsWith('text/') && !/\.(patch|diff)$/i.test(name)) return;
  const content = node.content ?? new ArrayBuffer(0);
  out.push({ text: node.getTextContent(), bytes: new Uint8Array(content), transferEncoding: node.contentTransferEncoding.encoding.toLowerCase() || '8bit' });
}

/** Decode RFC 2047 encoded words (`=?UTF-8?q?...?=`, `=?utf-8?B?...?=`) in an unfolded header value. */
export function decodeHeader(value: string): string {
  return decodeWords(value).trim();
}
