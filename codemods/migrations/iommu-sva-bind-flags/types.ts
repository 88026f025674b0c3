// C type predicates this migration needs.
import type { SyntaxNode } from '../../c/index.js';

const INTEGER_TYPES =
  /^(const\s+)?(((un)?signed\s+)?(char|short|int|long|long\s+long|short\s+int|long\s+int|long\s+long\s+int)|unsigned|signed|u8|u16|u32|u64|s8|s16|s32|s64|__u8|__u16|__u32|__u64|__s32|uint8_t|uint16_t|uint32_t|uint64_t|int8_t|int16_t|int32_t|int64_t|size_t|ulong|uint)$/;

export function isIntegerType(typeText: string): boolean {
  return INTEGER_TYPES.test(typeText.replace(/\s+/g, ' ').trim());
}

/** The type text of a declaration or field_declaration, qualifiers included. */
export function declarationType(decl: SyntaxNode): string {
  const quals = decl.namedChildren.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
  const type = decl.childForFieldName('type')?.text ?? '';
  return [...quals, type].join(' ');
}
