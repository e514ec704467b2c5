using Microsoft.Playwright;

namespace Classcloud.E2E.Infrastructure;

/// <summary>What a chart of wwwroot/js/charts.js shows, read from the page rather than assumed.</summary>
public static class Charts
{
    /// <summary>Waits until the chart has drawn at least <paramref name="points"/> points (its data-points attribute).</summary>
    public static async Task ExpectPointsAsync(ILocator chart, int points, float timeout = 30_000)
    {
        var box = await chart.ElementHandleAsync();
        await chart.Page.WaitForFunctionAsync("([box, points]) => Number(box.dataset.points ?? 0) >= points", new object[] { box, points },
            new() { Timeout = timeout });
    }

    /// <summary>
    /// Opaque pixels of the first series' colour (charts.js's palette[0], #2563eb) on the chart's canvas:
    /// the line itself, not the grid, the axes or the translucent fill.
    /// </summary>
    public static Task<int> LinePixelsAsync(ILocator chart) => chart.EvaluateAsync<int>("""
        box => {
            const canvas = box.querySelector("canvas");
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let count = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                const near = Math.abs(pixels[i] - 0x25) < 40 && Math.abs(pixels[i + 1] - 0x63) < 40 && Math.abs(pixels[i + 2] - 0xeb) < 40;
                if (near && pixels[i + 3] > 200) {
                    count++;
                }
            }
            return count;
        }
        """);
}
