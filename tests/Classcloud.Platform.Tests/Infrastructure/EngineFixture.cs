using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Platform.Tests.Infrastructure;

/// <summary>
/// The real Docker Engine (started by test.sh) through our own driver, plus the one test image
/// every test uses: a Debian bookworm minbase root filesystem made with mmdebstrap and imported
/// through <see cref="IContainerPlatform.ImportImageAsync"/>. It is built once and then reused.
/// An unreachable engine fails every test with one clear message; nothing is skipped.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public const string BaseImage = "classcloud-test/base:1";

    /// <summary>The registry test.sh starts on loopback.</summary>
    public const string Registry = "127.0.0.1:5000";

    ServiceProvider? services;

    public IContainerPlatform Platform { get; private set; } = null!;

    public string? ImageBuildNote { get; private set; }

    public static ServiceProvider CreateServices(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddContainerPlatform(configuration.GetSection("Classcloud:Platform")).BuildServiceProvider();
    }

    public async Task InitializeAsync()
    {
        services = CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Driver"] = "docker" });
        Platform = services.GetRequiredService<IContainerPlatform>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await Platform.GetEngineInfoAsync(timeout.Token);
        }
        catch (PlatformUnavailableException ex)
        {
            throw new InvalidOperationException($"The platform tests need a running Docker Engine (./test.sh starts one): {ex.Message}", ex);
        }
        if (await Platform.InspectImageAsync(BaseImage, CancellationToken.None) is null)
        {
            await BuildBaseImageAsync();
        }
    }

    async Task BuildBaseImageAsync()
    {
        var tar = Path.Combine(Path.GetTempPath(), $"classcloud-test-base-{Guid.NewGuid():N}.tar");
        var mirror = AptMirror.Find();
        var clock = Stopwatch.StartNew();
        try
        {
            // minbase has bash, coreutils and useradd; netcat-openbsd gives the network tests a listener.
            // User 1000 with a home directory: volumes mounted there start owned by the workload's user.
            await RunAsync("mmdebstrap", ["--variant=minbase", "--include=netcat-openbsd", "--quiet",
                "--customize-hook=chroot \"$1\" useradd --create-home --uid 1000 --user-group classcloud",
                "bookworm", tar, mirror]);
            var rootfs = clock.Elapsed;
            await using var stream = File.OpenRead(tar);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await Platform.ImportImageAsync(stream, BaseImage, null, timeout.Token);
            ImageBuildNote = $"built {BaseImage}: rootfs {rootfs.TotalSeconds:0} s, import {(clock.Elapsed - rootfs).TotalSeconds:0.0} s";
        }
        finally
        {
            File.Delete(tar);
        }
    }

    static async Task RunAsync(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    // One engine fixture for all platform tests, run one class at a time: the machine has 2 cores.
    public const string Name = "engine";
}
