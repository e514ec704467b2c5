namespace Classcloud.Web.Projects;

/// <summary>Projects (issue 14), section <c>Classcloud:Projects</c>.</summary>
public sealed class ProjectsOptions
{
    public const string Section = "Classcloud:Projects";

    /// <summary>Apps are served at <c>&lt;name&gt;.&lt;AppsDomain&gt;</c>; browsers resolve <c>*.localhost</c> to loopback, so the default needs no DNS.</summary>
    public string AppsDomain { get; set; } = "apps.localhost";

    /// <summary>How the public URL starts (the gateway itself speaks plain HTTP behind the TLS proxy).</summary>
    public string AppsScheme { get; set; } = "http";

    /// <summary>A port in the public URL (e.g. a development port); null: none.</summary>
    public int? AppsPort { get; set; }

    /// <summary>The port an app listens on, given to it as <c>PORT</c> (as on Cloud Run and Heroku).</summary>
    public int AppPort { get; set; } = 8080;

    /// <summary>Largest ZIP accepted.</summary>
    public long MaxSourceBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest total size once unpacked.</summary>
    public long MaxExpandedBytes { get; set; } = 200L * 1024 * 1024;

    public int MaxFiles { get; set; } = 5000;

    /// <summary>Largest compression ratio of one entry (a zip bomb compresses far beyond this).</summary>
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>How long cloning a Git source may take (then git is killed and the build fails).</summary>
    public TimeSpan GitTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Hosts (<c>host</c> or <c>host:port</c>) whose Git repositories may be cloned over plain http and may be on
    /// this machine: a school's own Git server without TLS, or the tests' loopback server. Empty: https only.
    /// </summary>
    public string[] GitInsecureHosts { get; set; } = [];

    /// <summary>The git program.</summary>
    public string GitCommand { get; set; } = "git";

    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Revisions kept per project (older images are removed from the engine; the rows go).</summary>
    public int KeepRevisions { get; set; } = 5;

    /// <summary>How long a request to a project at zero waits for an instance before a browser gets the "starting…" page.</summary>
    public TimeSpan ColdStartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the autoscaler samples each project's requests in flight.</summary>
    public TimeSpan AutoscaleInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Concurrency is averaged over this window (Knative's stable window) before instances are counted.</summary>
    public TimeSpan ScaleWindow { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How long fewer instances must do before the extra ones go (a burst does not make them flap).</summary>
    public TimeSpan ScaleDownDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a scale-in waits for the requests in flight on the instances leaving.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>When set, every project's idle window (instead of its idleMinutes): for tests and demos.</summary>
    public TimeSpan? IdleWindowOverride { get; set; }

    /// <summary>Base image of the static template (needs busybox: <c>busybox httpd</c> serves the files); null: the system image <c>app-static</c>.</summary>
    public string? StaticImage { get; set; }

    /// <summary>Base image of the Python template (python3 and pip); null: the system image <c>app-python</c>.</summary>
    public string? PythonImage { get; set; }

    /// <summary>Base image of the Node template (node and npm); null: the system image <c>app-node</c>.</summary>
    public string? NodeImage { get; set; }

    public double Cpus { get; set; } = 0.5;

    public long MemoryBytes { get; set; } = 256L * 1024 * 1024;
}
