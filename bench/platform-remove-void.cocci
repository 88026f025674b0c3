// SPDX-License-Identifier: GPL-2.0-only
//
// platform_driver .remove returning int -> .remove_new returning void, the
// job kmigrate's platform-remove-void migration does, written for
// Coccinelle so that `npm run bench -- --migration platform-remove-void` can
// time spatch on the same job (see bench/README.md).
//
//   spatch --sp-file bench/platform-remove-void.cocci --dir <tree> \
//          --include-headers -j 2 --very-quiet
//
// What it does, as kmigrate does:
//   - a function named by .remove (as fn, &fn or __exit_p(fn)) in a
//     struct platform_driver initializer, that returns only 0, whose value
//     no caller reads and that is not used as a pointer anywhere else in a
//     function body, becomes void;
//   - its final return 0 goes; every other return 0 becomes return;
//   - the registration's .remove becomes .remove_new;
//   - a prototype in the same file becomes void too.
// The final return is found by position, not by `... return 0; }`: on a
// control-flow graph every return ends its path, so that pattern also
// deletes the early ones and leaves `if (x) {}` behind (the known trap).
// A final return 0 after a label is left alone (the function is not
// converted: deleting it would leave a label ending the block).
// Not done (kmigrate does): a remove defined in one file and registered in
// another, or declared in a header (spatch sees one file at a time);
// keeping the tab alignment after .remove_new. Unlike kmigrate, spatch
// deletes a comment just above the final return along with it. Nothing
// here checks meaning: it is a plain rewrite.

@initialize:python@
@@
import re

# (file, function) pairs that must not be converted; for the others, the
# (line, column) of their textually last return 0, the final one.
keep = set()
last = {}
label_line = re.compile(r'^\s*[A-Za-z_]\w*\s*:\s*$')

def label_before(path, line):
	"""Is the last non-blank line before `line` a bare label?"""
	try:
		with open(path, errors='replace') as f:
			lines = f.read().split('\n')
	except OSError:
		return True
	i = line - 2
	while i >= 0 and not lines[i].strip():
		i -= 1
	return i >= 0 and bool(label_line.match(lines[i]))

// ---- which functions ----------------------------------------------------

@reg@
identifier drv, fn;
@@
struct platform_driver drv = {
  .remove = \(fn\|&fn\|__exit_p(fn)\),
};

// a return of anything but 0
@bad exists@
identifier reg.fn;
expression E : script:python () { E.strip() != "0" };
position pf;
@@
int fn@pf(...) {
  ... when any
  return E;
  ... when any
}

@script:python@
fn << reg.fn;
pf << bad.pf;
@@
keep.add((pf[0].file, fn))

// a use other than a call statement: a value read, a function pointer
@used exists@
identifier reg.fn, g;
position pu;
@@
 g(...) {
 <+...
(
 fn(...);
|
 fn@pu
)
 ...+>
 }

@script:python@
fn << reg.fn;
pu << used.pu;
@@
keep.add((pu[0].file, fn))

// every return 0 of the others (one match per path)
@rets exists@
identifier reg.fn;
position pf : script:python (fn) { (pf[0].file, fn) not in keep };
position pr;
@@
int fn@pf(...) {
  ... when any
  return@pr 0;
  ... when any
}

@script:python@
fn << reg.fn;
pr << rets.pr;
@@
k = (pr[0].file, fn)
at = (int(pr[0].line), int(pr[0].column))
if k not in last or last[k] < at:
	last[k] = at

@script:python conv@
fn << reg.fn;
pf << rets.pf;
nf;
@@
k = (pf[0].file, fn)
if label_before(pf[0].file, last[k][0]):
	cocci.include_match(False)
else:
	coccinelle.nf = cocci.make_ident(fn)

// ---- the rewrite ----------------------------------------------------------

@@
identifier conv.nf;
position pr : script:python (nf) { last.get((pr[0].file, nf)) == (int(pr[0].line), int(pr[0].column)) };
@@
 int nf(...) {
 <...
- return@pr 0;
 ...>
 }

@@
identifier conv.nf;
@@
-int
+void
 nf(...) { ... }

@@
identifier conv.nf;
@@
-int
+void
 nf(...);

@@
identifier conv.nf;
@@
 void nf(...) {
 <...
- return 0;
+ return;
 ...>
 }

@@
identifier drv, conv.nf;
@@
struct platform_driver drv = {
- .remove = nf,
+ .remove_new = nf,
};

@@
identifier drv, conv.nf;
@@
struct platform_driver drv = {
- .remove = &nf,
+ .remove_new = &nf,
};

@@
identifier drv, conv.nf;
@@
struct platform_driver drv = {
- .remove = __exit_p(nf),
+ .remove_new = __exit_p(nf),
};
