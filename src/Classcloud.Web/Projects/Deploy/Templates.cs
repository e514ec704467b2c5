using System.IO.Compression;
using System.Text.Json;

namespace Classcloud.Web.Projects;

/// <summary>The build templates and how a source tree is recognised (the first rule that matches wins).</summary>
public static class Templates
{
    public const string Dockerfile = "dockerfile";
    public const string Static = "static";
    public const string Python = "python";
    public const string Node = "node";

    public static readonly string[] All = [Dockerfile, Static, Python, Node];

    /// <summary>The generated Dockerfile's name in the build context, so it never clashes with the project's files.</summary>
    public const string GeneratedDockerfile = ".classcloud.Dockerfile";

    /// <summary>The template and a sentence saying why; null template when nothing matched.</summary>
    public static (string? Template, string Explanation) Detect(IReadOnlyCollection<string> files, Func<string, string?> read)
    {
        if (files.Contains("Dockerfile"))
        {
            return (Dockerfile, "Found a Dockerfile: it is built as it is.");
        }
        if (files.Contains("package.json") && HasStartScript(read("package.json")))
        {
            return (Node, "Found package.json with a start script: npm start.");
        }
        if (files.Contains("requirements.txt") || files.Contains("app.py") || files.Contains("main.py"))
        {
            var entry = files.Contains("app.py") ? "app.py" : "main.py";
            return (Python, files.Contains("requirements.txt")
                ? $"Found requirements.txt: the packages are installed and {entry} runs."
                : $"Found {entry}: it runs with python3.");
        }
        if (files.Contains("index.html"))
        {
            return (Static, "Found index.html: the files are served as a static site.");
        }
        return (null, "No Dockerfile, package.json with a start script, app.py, main.py, requirements.txt or index.html at the top of the ZIP.");
    }

    /// <summary>The Dockerfile for a template, <c>FROM</c> one of our own base images (no public registry is reachable).</summary>
    public static string DockerfileFor(string template, string baseImage, IReadOnlyCollection<string> files, int port) => template switch
    {
        Static => $$"""
            FROM {{baseImage}}
            COPY . /srv/www
            USER 1000
            ENV PORT={{port}}
            CMD ["sh", "-c", "exec busybox httpd -f -v -p ${PORT} -h /srv/www"]
            """,
        Python => $$"""
            FROM {{baseImage}}
            WORKDIR /app
            COPY . /app
            {{(files.Contains("requirements.txt") ? "RUN pip install --no-cache-dir --break-system-packages -r requirements.txt" : "")}}
            USER 1000
            ENV PORT={{port}} PYTHONUNBUFFERED=1
            CMD ["python3", "{{(files.Contains("app.py") ? "app.py" : "main.py")}}"]
            """,
        Node => $$"""
            FROM {{baseImage}}
            WORKDIR /app
            COPY . /app
            RUN npm install --omit=dev
            USER 1000
            ENV PORT={{port}} NODE_ENV=production
            CMD ["npm", "start"]
            """,
        _ => throw new ArgumentException($"No generated Dockerfile for template {template}.", nameof(template)),
    };

    static bool HasStartScript(string? json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json ?? "");
            return doc.RootElement.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Object
                && scripts.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The folder every entry shares ("site/" when the ZIP was made from a folder), stripped from the paths; "" when none.</summary>
    public static string CommonRoot(ZipArchive zip)
    {
        var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName.Replace('\\', '/')).ToList();
        if (files.Count == 0 || files.Any(f => !f.Contains('/', StringComparison.Ordinal)))
        {
            return "";
        }
        var first = files[0][..(files[0].IndexOf('/', StringComparison.Ordinal) + 1)];
        return files.All(f => f.StartsWith(first, StringComparison.Ordinal)) ? first : "";
    }
}
