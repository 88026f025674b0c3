// The platform bus model on bodies tree-sitter-c cannot read in full: the
// four shapes behind linux-source-6.1's 60 `unknown` callbacks (an iterator
// macro, an `__iomem` local, a type passed to container_of(), an annotated
// cast), each in the shape of a real 6.1 driver, judged; a change hidden in
// them still seen; and errors the model cannot place still unknown.
import { describe, expect, it } from 'vitest';
import { checkPlatformBus, WARNING_GONE } from '../../iommu-model/platform-bus/index.js';
import type { TreeInput } from '../../iommu-model/model-shape.js';

function tree(label: string, files: Record<string, string>): TreeInput {
  return { label, paths: Object.keys(files).sort(), read: (p) => files[p] };
}

const driver = (field: 'remove' | 'remove_new', fn: string) => `\nstatic struct platform_driver foo_driver = {\n\t.${field} = ${fn},\n};\n`;

/** The before tree, and kmigrate's conversion of it: `int` → `void`, the final `return 0;` and its blank line dropped. */
function convert(before: string): string {
  return before.replace(/^static int /m, 'static void ').replace(/\n\n\treturn 0;\n}/, '\n}').replace(/\n\treturn 0;\n}/, '\n}').replace('.remove = ', '.remove_new = ');
}

async function judge(fn: string, beforeC: string, afterC = convert(beforeC)) {
  const r = await checkPlatformBus({ before: tree('before', { 'drivers/foo.c': beforeC + driver('remove', fn) }), after: tree('after', { 'drivers/foo.c': afterC + (afterC.includes('.remove') ? '' : driver('remove_new', fn)) }), declared: [WARNING_GONE] });
  expect(r.sites).toHaveLength(1);
  return r.sites[0]!;
}

// drivers/dma/k3dma.c, k3_dma_remove(): an iterator macro over a block.
const K3 = `static int k3_dma_remove(struct platform_device *op)
{
	struct k3_dma_chan *c, *cn;
	struct k3_dma_dev *d = platform_get_drvdata(op);

	dma_async_device_unregister(&d->slave);
	of_dma_controller_free((&op->dev)->of_node);

	devm_free_irq(&op->dev, d->irq, d);

	list_for_each_entry_safe(c, cn, &d->slave.channels, vc.chan.device_node) {
		list_del(&c->vc.chan.device_node);
		tasklet_kill(&c->vc.task);
	}
	tasklet_kill(&d->task);
	clk_disable_unprepare(d->clk);
	return 0;
}
`;

// arch/powerpc/sysdev/pmi.c, pmi_of_remove(): an iterator macro over one statement.
const PMI = `static int pmi_of_remove(struct platform_device *dev)
{
	struct pmi_handler *handler, *tmp;

	spin_lock(&data->handler_spinlock);

	list_for_each_entry_safe(handler, tmp, &data->handler, node)
		list_del(&handler->node);

	spin_unlock(&data->handler_spinlock);

	kfree(data);
	data = NULL;

	return 0;
}
`;

// drivers/thermal/broadcom/ns-thermal.c, ns_thermal_remove(): an __iomem local.
const NS = `static int ns_thermal_remove(struct platform_device *pdev)
{
	void __iomem *pvtmon = platform_get_drvdata(pdev);

	iounmap(pvtmon);

	return 0;
}
`;

// drivers/media/radio/si4713/radio-platform-si4713.c: container_of() with a type.
const SI4713 = `static int radio_si4713_pdriver_remove(struct platform_device *pdev)
{
	struct v4l2_device *v4l2_dev = platform_get_drvdata(pdev);
	struct radio_si4713_device *rsdev;

	rsdev = container_of(v4l2_dev, struct radio_si4713_device, v4l2_dev);
	video_unregister_device(&rsdev->radio_dev);
	v4l2_device_unregister(&rsdev->v4l2_dev);

	return 0;
}
`;

// drivers/spi/spi-au1550.c, au1550_spi_remove(): an `(void __iomem *)` cast, and an if without jumps.
const AU1550 = `static int au1550_spi_remove(struct platform_device *pdev)
{
	struct au1550_spi *hw = platform_get_drvdata(pdev);

	spi_bitbang_stop(&hw->bitbang);
	free_irq(hw->irq, hw);
	iounmap((void __iomem *)hw->regs);
	release_mem_region(hw->ioarea->start, sizeof(psc_spi_t));

	if (hw->usedma) {
		au1550_spi_dma_rxtmp_free(hw);
		au1xxx_dbdma_chan_free(hw->dma_rx_ch);
	}

	spi_master_put(hw->master);
	return 0;
}
`;

// drivers/video/fbdev/arcfb.c, arcfb_remove(): a `(void __force *)` cast inside a guarded block.
const ARCFB = `static int arcfb_remove(struct platform_device *dev)
{
	struct fb_info *info = platform_get_drvdata(dev);

	if (info) {
		unregister_framebuffer(info);
		if (irq)
			free_irq(((struct arcfb_par *)(info->par))->irq, info);
		vfree((void __force *)info->screen_base);
		framebuffer_release(info);
	}
	return 0;
}
`;

describe('platform-bus model: bodies with parse errors it can read past', () => {
  it.each([
    ['an iterator macro over a block (k3dma)', 'k3_dma_remove', K3],
    ['an iterator macro over one statement (pmi)', 'pmi_of_remove', PMI],
    ['a `void __iomem *` local (ns-thermal)', 'ns_thermal_remove', NS],
    ['container_of() given a struct type (radio-platform-si4713)', 'radio_si4713_pdriver_remove', SI4713],
    ['a `(void __iomem *)` cast (spi-au1550)', 'au1550_spi_remove', AU1550],
    ['a `(void __force *)` cast (arcfb)', 'arcfb_remove', ARCFB],
  ])('%s: the conversion is equivalent', async (_what, fn, before) => {
    const s = await judge(fn, before);
    expect(s.verdict, s.reason).toBe('equivalent');
    expect(s.reason).toBe('the same cleanup and the same core outcome on every path');
  });

  it('the iterator and its body are one statement compared by text: a cleanup dropped inside it differs', async () => {
    const after = convert(K3).replace('\t\ttasklet_kill(&c->vc.task);\n', '');
    const s = await judge('k3_dma_remove', K3, after);
    expect(s.verdict).toBe('differs');
    // The unit as a whole is another statement: the changed one runs where the old one ran.
    expect(s.reason).toBe('after, `list_for_each_entry_safe(c,cn,&d->slave.channels,vc.chan.device_node){list_del(&c->vc.chan.device_node);}` runs where it did not run before');
  });

  it('the __iomem declaration and a cast are compared too: a dropped iounmap() differs', async () => {
    expect((await judge('ns_thermal_remove', NS, convert(NS).replace('\tiounmap(pvtmon);\n', ''))).verdict).toBe('differs');
    expect((await judge('au1550_spi_remove', AU1550, convert(AU1550).replace('\tiounmap((void __iomem *)hw->regs);\n', ''))).verdict).toBe('differs');
  });

  it('a return inside an iterator macro is a loop the walk does not follow: unknown, and the path says where', async () => {
    const before = K3.replace('\t\tlist_del(&c->vc.chan.device_node);\n', '\t\tif (c->busy)\n\t\t\treturn -EBUSY;\n\t\tlist_del(&c->vc.chan.device_node);\n');
    const after = convert(before).replace('return -EBUSY;', 'return;');
    const s = await judge('k3_dma_remove', before, after);
    expect(s.verdict).toBe('unknown');
    expect(s.reason).toContain('a return or goto inside `list_for_each_entry_safe(c,cn,&d->slave.channels,vc.chan.device_node)`, a macro the parser reads as a statement missing its `;`');
  });

  it('errors the model cannot place stay unknown: outside parentheses, an iterator as an if arm, a label inside', async () => {
    const outside = `static int foo_remove(struct platform_device *pdev)\n{\n\tfoo bar baz;\n\treturn 0;\n}\n`;
    expect(await judge('foo_remove', outside)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('the parser could not read `bar` at line 3, outside any parentheses') });
    const arm = `static int foo_remove(struct platform_device *pdev)\n{\n\tif (a)\n\t\tlist_for_each_entry(x, &h, n) {\n\t\t\tb(x);\n\t\t}\n\treturn 0;\n}\n`;
    expect(await judge('foo_remove', arm)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('as missing a `;`, where the model cannot read it as a macro') });
    const label = `static int foo_remove(struct platform_device *pdev)\n{\n\tif (a)\n\t\tgoto out;\n\tlist_for_each_entry(x, &h, n)\nout:\n\t\tb(x);\n\treturn 0;\n}\n`;
    expect(await judge('foo_remove', label)).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('a label inside `list_for_each_entry(x, &h, n)`') });
    // Not a parse error, but the same rule: a return the walk cannot follow is unknown.
    const stmtExpr = `static int foo_remove(struct platform_device *pdev)\n{\n\tx = ({ if (a) return -EBUSY; 2; });\n\tfoo(x);\n\treturn 0;\n}\n`;
    expect(await judge('foo_remove', stmtExpr, convert(stmtExpr).replace('return -EBUSY;', 'return;'))).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('a return or goto inside the expression statement `x=({if(a)return-EBUSY;2;});`') });
  });
});
