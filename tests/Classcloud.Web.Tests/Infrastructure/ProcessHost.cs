using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// The platform as a separate operating-system process (<c>dotnet Classcloud.Web.dll --roles …</c>, the build beside
/// this test project's sources), on a loopback port and a data directory the test shares between processes, as
/// production runs several. Its output is kept (the last lines go into failures); disposing kills it.
/// </summary>
public sealed class ProcessHost : IAsyncDisposable
{
    const int KeptLines = 400;
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    readonly Process process;
    readonly Queue<string> lines = new();

    ProcessHost(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts one process with <paramref name="roles"/> on <paramref name="dataDirectory"/>; <paramref name="settings"/> are configuration keys (A:B).</summary>
    public static async Task<ProcessHost> StartAsync(string roles, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var web = Path.Combine(RepositoryRoot(), "src", "Classcloud.Web");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(web, "bin", "Release", "net10.0", "Classcloud.Web.dll"), "--roles", roles, "--urls", address.ToString().TrimEnd('/') },
            WorkingDirectory = web,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Classcloud__DataDirectory"] = dataDirectory;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = new Process { StartInfo = start };
        var host = new ProcessHost(process, address);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitHealthyAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

    /// <summary>The last lines the process printed.</summary>
    public string Output()
    {
        lock (lines)
        {
            return string.Join('\n', lines);
        }
    }

    void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (lines)
        {
            if (lines.Count == KeptLines)
            {
                lines.Dequeue();
            }
            lines.Enqueue(line);
        }
    }

    async Task WaitHealthyAsync()
    {
        using var http = Client();
        http.Timeout = TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with code {process.ExitCode} before it answered:\n{Output()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or a slow first answer.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The process did not answer within {ReadyTimeout.TotalSeconds} s:\n{Output()}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Classcloud.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (Classcloud.slnx) is not above the test's directory.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
