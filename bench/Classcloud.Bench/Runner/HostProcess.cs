using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Classcloud.Bench.Runner;

/// <summary>
/// The Classcloud host as a real process (`dotnet Classcloud.Web.dll`) on a free loopback port with
/// its own temporary data directory, so a benchmark measures what an operator runs, not a test host.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    // Generous: on the shared 2-core machine under other builds (load 40-70) a host took over 90 s to migrate and listen.
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(240);
    readonly Process process;
    readonly StreamWriter log;
    readonly Lock logLock = new();
    bool logClosed;

    HostProcess(Process process, StreamWriter log, Uri address, string dataDirectory)
    {
        this.process = process;
        this.log = log;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    /// <summary>The host's process id (e.g. to read its CPU time from /proc).</summary>
    public int ProcessId => process.Id;

    public string LogPath => Path.Combine(DataDirectory, "host.log");

    /// <summary>Starts the host and waits until /readyz says the database is reachable.</summary>
    public static async Task<HostProcess> StartAsync(string hostDll, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        if (!File.Exists(hostDll))
        {
            throw new FileNotFoundException($"The host is not built: {hostDll} is missing (bench/run.sh builds it).", hostDll);
        }
        var data = Directory.CreateTempSubdirectory("classcloud-bench-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostDll },
            WorkingDirectory = data,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CLASSCLOUD_DATA"] = data;
        start.Environment["CLASSCLOUD_URLS"] = address.ToString().TrimEnd('/');
        // Also the explicit key: appsettings.json sets a DataDirectory of its own, which wins over CLASSCLOUD_DATA.
        start.Environment["Classcloud__DataDirectory"] = data;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Request logging would measure the console, not the host.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(data, "host.log")) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, log, address, data);
        process.OutputDataReceived += (_, e) => host.Log(e.Data);
        process.ErrorDataReceived += (_, e) => host.Log(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitReadyAsync(ct);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    void Log(string? line)
    {
        lock (logLock)
        {
            if (line is not null && !logClosed)
            {
                log.WriteLine(line);
            }
        }
    }

    async Task WaitReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode} before it was ready:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // A slow first answer; try again.
            }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"The host was not ready within {ReadyTimeout.TotalSeconds} s:\n{Tail()}");
    }

    /// <summary>The last lines the host printed, for error messages.</summary>
    public string Tail(int lines = 30)
    {
        lock (logLock)
        {
            if (!logClosed)
            {
                log.Flush();
            }
        }
        try
        {
            using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var all = new StreamReader(reader).ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(no host log: {ex.Message})";
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"bench: could not stop the host (pid {process.Id}): {ex.Message}");
        }
        process.Dispose();
        lock (logLock)
        {
            logClosed = true;
            log.Dispose();
        }
        // CLASSCLOUD_BENCH_HOST_LOGS=<dir> keeps each host's log there (e.g. run with debug logging to see where time goes).
        if (Environment.GetEnvironmentVariable("CLASSCLOUD_BENCH_HOST_LOGS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(LogPath, Path.Combine(keep, Path.GetFileName(DataDirectory) + ".log"), overwrite: true);
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; the OS cleans it.
        }
    }
}
