// SPDX-License-Identifier: GPL-2.0-only
//
// iommu_sva_bind_device(dev, mm, void *drvdata) ->
// iommu_sva_bind_device(dev, mm, unsigned int flags), the job kmigrate's
// iommu-sva-bind-flags codemod does, written for Coccinelle so that
// `npm run bench` can time spatch on the same job (see bench/README.md).
//
//   spatch --sp-file bench/iommu-sva-bind-flags.cocci --dir <tree> \
//          --include-headers -j 2 --very-quiet
//
// What it does, as kmigrate does:
//   - callers passing NULL pass 0;
//   - a caller passing &local, where local was only set to a constant, passes
//     the constant, and the local goes (drivers/dma/idxd/init.c);
//   - SVM_FLAG_SUPERVISOR_MODE becomes IOMMU_SVA_BIND_SUPERVISOR, defined in
//     <linux/iommu.h>; the old define goes, and so does #include
//     <linux/intel-svm.h> in a file where the fold happened (kmigrate first
//     checks that nothing else there uses the header; this does not);
//   - every definition, static inline stub and prototype of a function
//     struct iommu_sva *f(struct device *, struct mm_struct *, void *), and the
//     iommu_ops.sva_bind member, takes unsigned int flags instead;
//   - in those definitions the pointer is forwarded as flags, a read of it
//     into a local flags goes, and a body that never used it rejects flags.
// Not done (kmigrate does): the kernel-doc @drvdata line, re-wrapping
// long lines; and nothing here checks meaning, it is a plain rewrite.

// ---- callers ------------------------------------------------------------

@caller_null@
expression D, M;
@@
 iommu_sva_bind_device(D, M,
- NULL
+ 0
 )

@fold exists@
identifier l;
type T;
constant C;
expression D, M;
@@
- T l;
  ... when != l
- l = C;
  ... when != l
  iommu_sva_bind_device(D, M,
- &l
+ C
  )
  ... when != l

@depends on fold@
@@
- #include <linux/intel-svm.h>

@flag_use@
@@
- SVM_FLAG_SUPERVISOR_MODE
+ IOMMU_SVA_BIND_SUPERVISOR

// ---- the flag's definitions ---------------------------------------------

@@
@@
- #define SVM_FLAG_SUPERVISOR_MODE BIT(0)

@@
@@
 #define IOMMU_PASID_INVALID (-1U)
+
+/*
+ * IOMMU_SVA_BIND_SUPERVISOR: bind a supervisor PASID. With it the device may
+ * access the kernel's static 1:1 mapping of physical memory only, not vmalloc
+ * or module mappings, and no IOTLB flush is done automatically for kernel
+ * mappings. The flag is platform specific: not every IOMMU driver supports it.
+ */
+#define IOMMU_SVA_BIND_SUPERVISOR BIT(0)

// ---- implementations: bodies first, while the parameter is still void * --

// Which bodies never use the pointer, decided before anything below changes
// them. A stub whose whole body is one return is left alone.
@stub@
identifier fn, d, m, p;
expression E;
position pos;
@@
 struct iommu_sva *fn@pos(struct device *d, struct mm_struct *m, void *p)
 {
  return E;
 }

@impl_unused@
identifier fn, d, m, p;
position pos != stub.pos;
@@
 struct iommu_sva *fn@pos(struct device *d, struct mm_struct *m, void *p)
 {
  ... when != p
 }

// Such a body rejects any flag it cannot honour, first thing after the
// declarations (the parameter is renamed flags below).
@impl_reject@
identifier impl_unused.fn, impl_unused.d, impl_unused.m, impl_unused.p;
position impl_unused.pos;
statement S, S0;
symbol flags;
@@
 struct iommu_sva *fn@pos(struct device *d, struct mm_struct *m, void *p)
 {
  ... when != S0
+ if (flags)
+	return ERR_PTR(-EINVAL);
  S
  ...
 }

// A body that copies the pointee into a local flags: drop the copy and the
// local, the parameter is the flags now.
@impl_read@
identifier fn, d, m, p;
symbol flags;
@@
 struct iommu_sva *fn(struct device *d, struct mm_struct *m, void *p)
 {
  ...
- unsigned int flags = 0;
  ...
- if (p)
-	flags = *(unsigned int *)p;
  ...
 }

// A body that forwards the pointer (the ops->sva_bind call).
@impl_forward@
identifier fn, d, m, p;
expression E;
symbol flags;
@@
 struct iommu_sva *fn(struct device *d, struct mm_struct *m, void *p)
 {
  <...
  E(d, m,
- p
+ flags
  )
  ...>
 }

// ---- signatures -----------------------------------------------------------

@sig_def@
identifier fn, d, m, p;
@@
 struct iommu_sva *fn(struct device *d, struct mm_struct *m,
- void *p
+ unsigned int flags
 ) { ... }

@sig_proto@
identifier fn, d, m, p;
@@
 struct iommu_sva *fn(struct device *d, struct mm_struct *m,
- void *p
+ unsigned int flags
 );

@sig_member@
identifier d, m, p, fld;
@@
 struct iommu_ops { ...
 struct iommu_sva *(*fld)(struct device *d, struct mm_struct *m,
- void *p
+ unsigned int flags
 );
 ...
 };
