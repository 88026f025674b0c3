// How often each pair of folded identifier bytes occurs in kernel C (the
// byte prefilter folds case: bit 0x20 set), measured by
// scripts/pair-frequencies.mjs on every tenth .c/.h file of
// linux-source-6.1 (5,541 files, 123 MB). One character per pair, row by
// row over PAIR_ALPHABET: 48 + round(4 * log2(1 + n)) for n pairs per
// million bytes. Adjacent bytes are far from independent: `in` occurs
// 12,000 times per million bytes, `sv` 57 times, though `s` is about as
// common as `i`, and `v` as `n`.

export const PAIR_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789_';

const TABLE = [
  'IX[\\HPXGV?Q^\\^LYD]_bWPSRRSKKKHGBDGEC\\',
  'VIMKUGLEWL<YMHSQARMLX?DEP5IIGDE?>?B;Z',
  '[OXO[TL[V5Z[XW`WHZZ`SLBIL7OONLHFFEDD`',
  '[PWWeKOC]C8RWGT\\FZUOQJMNI7IJGFDCACAB^',
  'ZPZ]Va[CQ=B[X`RUVb^`O]MYN>ORPPGAEAHBa',
  'WKSMU\\SAb38XRMYM@VW[Q?LJH8VKLEDAB@E@Z',
  'UNNKZMJPV3:NPSOU7SVOMA?;?6KLKJFB?>?;^',
  'ZIMR[FE;]0=DFESK?NJPPCR8TF?HE=;:;9:9V',
  'UQ]\\W`\\HJ5EWWf]WEW\\]BVIP5VCDODA=<5;FY',
  'B37:J;24B122:2D?4<;=E210052211216100B',
  'FNHDUGB?L0<DGEFD?ENJEJA::A@B@B>665<2Z',
  ']PPS^IH@\\1VZHJ\\Q:KUVWIBMP8JOPHGCCAD>^',
  '`TWU\\HHFY3BNVLXZBJVTUIHKB:IMKNBAD@J=]',
  'YLZ\\cWZCW?RTJSXR@LZbXS?II:DKIHB@A>??]',
  'NQZZMYSEV7JZX`SX?^TY[WUID8AEBC=<<;;8Z',
  'ZM\\U[RPVZ4KXSFZTAZUYXHQJM3KMLIIFB=A?]',
  '=AHFJ=<=D0;HE>AK5DI@T76?05BBB?65;452V',
  ']QWXdUQB\\9PUVY\\PTZV[]THWT=PPPONDA=@>^',
  'UQYS`LP\\\\:]QSPVYKS[cWGQDZFDHJHFCC@>:_',
  '`MVOaNR\\^5KYPI[PAaWT[INXV9JNLLIJJHG@b',
  'NS\\UXTO;P3=YV[DY3[[Z;H5T83@K;P85I;N5T',
  'XKON[PIEW1AKSATO@TKHE67<84MEDBJ@DAA;V',
  'UJJIRD=MT3;QOLPGGVHA=;C723<@==7<75J3V',
  'LJOMOTB@N04EG>CRBFKTA<9O@3^WQPQNKLPK]',
  '=CG?G886@01DNPDT3IXM>99344>A><;54350X',
  'P3=9VN36?019:4D:17@66225<73652511052F',
  'FEIFNQ=<G0FW@64>29D:A57b80fVSSQJKNPI\\',
  'GEJHHK9:70;K;64;5>;=A87C80WRQOORSKNM[',
  'DDOCBF>?<0;IB<8D4@GC;;4H21TOLLMMIKLH\\',
  '@@GFBM37803B=3282<:7776B01QKWJJJIFIEY',
  'ABBAA>83>2=K>2391589992F03RIKGHEEDICW',
  '??A?A?>820=9;13=3257770@00LGFDFGKEJFU',
  '@@A@?<:8<0;;<1144897>84D00MHHHPFFGH@R',
  '>=@@?H15401A51110343630C00MIFCEEGEFCP',
  '@@A>@>8266<F=916?329931E01RIIHIEIDJMP',
  '<=A==>31208240010139510>00LHFDEGHEFGP',
  '^[ca]\\ZY_FO\\aW\\`Qac^XZWRHFQVROLJLGKEa',
].join('');

/** Pairs per million bytes of kernel C, for two folded bytes; undefined outside PAIR_ALPHABET. */
export function pairFrequency(a: number, b: number): number | undefined {
  const x = PAIR_ALPHABET.indexOf(foldedChar(a));
  const y = PAIR_ALPHABET.indexOf(foldedChar(b));
  if (x < 0 || y < 0 || TABLE.length !== PAIR_ALPHABET.length ** 2) return undefined;
  return 2 ** ((TABLE.charCodeAt(x * PAIR_ALPHABET.length + y) - 48) / 4) - 1;
}

/** `_` folds to 0x7f. */
function foldedChar(b: number): string {
  return b === 0x7f ? '_' : String.fromCharCode(b);
}
