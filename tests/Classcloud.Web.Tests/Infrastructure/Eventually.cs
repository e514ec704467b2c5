using System.Diagnostics;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>Waits on an observable condition: as long as it takes on a slow machine, failing with what was awaited.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < within, $"No {what} within {within.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan within, string what) =>
        UntilAsync(() => Task.FromResult(condition()), within, what);
}
