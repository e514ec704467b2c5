using System.Diagnostics;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// The smallest base an app can run on here: Debian minbase with busybox (its httpd serves static sites and
/// CGI scripts), made with mmdebstrap like the other test images (no public registry is reachable), once per engine.
/// </summary>
internal static class AppBaseImage
{
    public const string Name = "classcloud-test/app-base:1";

    public static async Task EnsureAsync(IContainerPlatform engine)
    {
        if (await engine.InspectImageAsync(Name, CancellationToken.None) is not null)
        {
            return;
        }
        var tar = Path.Combine(Path.GetTempPath(), $"classcloud-app-base-{Guid.NewGuid():N}.tar");
        try
        {
            var start = new ProcessStartInfo("mmdebstrap") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--variant=minbase", "--include=busybox,netcat-openbsd", "--quiet",
                "--customize-hook=chroot \"$1\" useradd --create-home --uid 1000 --user-group classcloud", "bookworm", tar, AptMirror.Find() })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("mmdebstrap did not start.");
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"mmdebstrap failed: {await stderr}");
            await using var stream = File.OpenRead(tar);
            await engine.ImportImageAsync(stream, Name, null, CancellationToken.None);
        }
        finally
        {
            File.Delete(tar);
        }
    }
}
