using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Infrastructure;

/// <summary>The checks every page gets: axe-core (no serious or critical violation) and screenshots as artifacts.</summary>
public static class PageChecks
{
    /// <summary>artifacts/browser under the repository root (the folder holding Booking.sln).</summary>
    public static string ArtifactsDirectory { get; } = FindArtifacts();

    /// <summary>Fails on any serious or critical axe-core violation, listing rule, impact and the elements.</summary>
    public static async Task AssertAccessibleAsync(this IPage page, string name)
    {
        var result = await page.RunAxe();
        var bad = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(bad.Count == 0, $"axe-core on '{name}' ({page.Url}):\n" + string.Join("\n", bad));
    }

    /// <summary>A full-page screenshot at the page's current viewport, saved as artifacts/browser/&lt;name&gt;-&lt;width&gt;.png.</summary>
    public static async Task<string> ScreenshotAsync(this IPage page, string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        var path = Path.Combine(ArtifactsDirectory, $"{name}-{width}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// Screenshots at each width (360 and 1280 unless told) and asserts no horizontal scrolling at any of them:
    /// a layout that breaks at a width shows up as content wider than the viewport.
    /// </summary>
    public static async Task CaptureAtWidthsAsync(this IPage page, string name, params int[] widths)
    {
        var original = page.ViewportSize;
        foreach (var width in widths.Length > 0 ? widths : [360, 1280])
        {
            await page.SetViewportSizeAsync(width, original?.Height ?? 900);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"'{name}' is {overflow}px wider than a {width}px viewport ({page.Url}).");
            var broken = await page.EvaluateAsync<string?>(BrokenWordInTable);
            Assert.True(broken is null, $"'{name}' at {width}px breaks '{broken}' across lines in a table ({page.Url}); a table too wide should scroll.");
            await page.ScreenshotAsync(name);
        }

        if (original is not null)
        {
            await page.SetViewportSizeAsync(original.Width, original.Height);
        }
    }

    /// <summary>
    /// The first word in a table cell that the browser split across lines (a table squeezed into a phone's width
    /// letter by letter), or null. Words are runs between spaces and hyphens, where a break is a normal one.
    /// </summary>
    private const string BrokenWordInTable = """
        () => {
          for (const cell of document.querySelectorAll("td, th")) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const words = /[^\s\-\u2010]+/g;
              for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) { return m[0]; }
              }
            }
          }
          return null;
        }
        """;

    /// <summary>Records the text of every role="status" region that changes after the page has loaded.</summary>
    public static Task WatchStatusAsync(this IPage page) => page.AddInitScriptAsync("""
        window.__announced = [];
        var loaded = false;
        document.addEventListener("DOMContentLoaded", function () { loaded = true; });
        new MutationObserver(function (records) {
          if (!loaded) { return; }
          records.forEach(function (r) {
            var el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            var region = el && el.closest ? el.closest("[role=status]") : null;
            if (region && r.addedNodes.length > 0) { window.__announced.push(region.textContent.trim()); }
          });
        }).observe(document, { childList: true, subtree: true, characterData: true });
        """);

    /// <summary>The status message changed after load, which is what makes a screen reader read a live region.</summary>
    public static async Task AssertAnnouncedAsync(this IPage page, string text)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(text);
        await page.WaitForFunctionAsync("t => window.__announced.indexOf(t) >= 0", text);
    }

    private static string FindArtifacts()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Booking.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? AppContext.BaseDirectory;
        var path = Path.Combine(root, "artifacts", "browser");
        Directory.CreateDirectory(path);
        return path;
    }
}
