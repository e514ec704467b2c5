using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Workspaces.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Files to and from a running workspace's home (issue 17, the session toolbar) on the real engine: uploads land under
/// home owned by the workspace user (never root) and come back byte for byte, a folder comes back as a tar; bad names,
/// a body over the limit, watchers and a stopped workspace are refused with a ProblemDetails, and nothing is written.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WorkspaceFilesEngineTests(EngineFixture engine) : EngineHostTests(engine, "files")
{
    const int Limit = 64 * 1024;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Classcloud:WorkspaceFiles:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    WorkloadId Workload(long id) => Host.Services.GetRequiredService<WorkspaceNames>().Workload(id);

    [Fact]
    public async Task Uploads_land_in_home_as_the_workspace_user_and_download_back_and_bad_names_write_nothing()
    {
        var owner = await Host.UserAsync(TestRole.Student);
        var id = await RunningAsync(owner, "private", "view");
        var korean = "과제 1.py";

        var uploaded = await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files?path=project/src",
            Form(("notes.txt", "hello\n"), (korean, "print('안녕')\n")))).OkAsync<UploadedFilesDto>();
        Assert.Equal("project/src", uploaded.Folder);
        Assert.Equal(["project/src/notes.txt", $"project/src/{korean}"], uploaded.Files.Select(f => f.Path));
        Assert.Equal(6, uploaded.Files[0].SizeBytes);

        // Owned by uid 1000 (the folders made on the way too), in home, with the bytes sent.
        Assert.Equal("1000:1000 6\n1000:1000\n1000:1000\n",
            await ShAsync(Workload(id), "cd /home/classcloud && stat -c '%u:%g %s' project/src/notes.txt && stat -c '%u:%g' project/src project"));
        Assert.Equal("print('안녕')\n", await ShAsync(Workload(id), $"cat '/home/classcloud/project/src/{korean}'"));

        using (var file = await owner.Client.GetAsync($"/api/v1/workspaces/{id}/files?path=project/src/notes.txt"))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("hello\n", await file.Content.ReadAsStringAsync());
            Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("notes.txt", file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // A folder comes as a tar named after it, holding the folder itself.
        using (var folder = await owner.Client.GetAsync($"/api/v1/workspaces/{id}/files?path=project"))
        {
            Assert.Equal(HttpStatusCode.OK, folder.StatusCode);
            Assert.Equal("application/x-tar", folder.Content.Headers.ContentType?.MediaType);
            var entries = await TarAsync(await folder.Content.ReadAsStreamAsync());
            Assert.Equal("hello\n", entries["project/src/notes.txt"]);
            Assert.Equal("print('안녕')\n", entries[$"project/src/{korean}"]);
        }
        // Both directions are on the audit record, with the owner as the actor.
        var audit = await Host.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.Action.StartsWith("workspace.files.") && a.Target == $"workspace:{id}")
            .OrderBy(a => a.Id).Select(a => new { a.Action, a.Detail, a.ActorId }).ToListAsync());
        Assert.Equal([("workspace.files.upload", "2 file(s) into ~/project/src", owner.Id), ("workspace.files.download", "~/project/src/notes.txt", owner.Id),
            ("workspace.files.download", "~/project", owner.Id)], audit.Select(a => (a.Action, a.Detail, a.ActorId!.Value)));

        // Refused with a sentence, and nothing written outside home (nor anywhere: /home holds only the user's home).
        await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/files?path=missing.txt")).ProblemAsync(HttpStatusCode.NotFound);
        foreach (var folder in new[] { "..", "../../tmp", "/tmp", "a%00b", "a%0Ab" })
        {
            await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files?path={folder}", Form(("x.txt", "x")))).ProblemAsync(HttpStatusCode.BadRequest);
            await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/files?path={folder}")).ProblemAsync(HttpStatusCode.BadRequest);
        }
        foreach (var name in new[] { "../evil.txt", "/tmp/evil.txt", "a/../../evil.txt" })
        {
            await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files", Form((name, "evil")))).ProblemAsync(HttpStatusCode.BadRequest);
        }
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files", Form(("same.txt", "1"), ("same.txt", "2")))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await owner.Client.PostAsJsonAsync($"/api/v1/workspaces/{id}/files", new { file = "x" })).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files", Form(("big.bin", new string('x', Limit + 1))))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("classcloud\n", await ShAsync(Workload(id), "ls /home"));
        Assert.Equal("0\n", await ShAsync(Workload(id), "find / \\( -path /proc -o -path /sys \\) -prune -o \\( -name evil.txt -o -name big.bin -o -name same.txt \\) -print 2>/dev/null | wc -l"));

        // A file where a folder is asked for: tar's own words come back as a 409.
        var conflict = await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files?path=project/src/notes.txt", Form(("y.txt", "y"))))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("notes.txt", conflict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watchers_may_not_move_files_and_a_stopped_workspace_says_it_must_run()
    {
        var owner = await Host.UserAsync(TestRole.Student);
        var watcher = await Host.UserAsync(TestRole.Student);
        var id = await RunningAsync(owner, "public", "view");

        var refused = await (await watcher.Client.PostAsync($"/api/v1/workspaces/{id}/files", Form(("w.txt", "w")))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("watching", refused.Detail, StringComparison.Ordinal);
        await (await watcher.Client.GetAsync($"/api/v1/workspaces/{id}/files?path=.profile")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0\n", await ShAsync(Workload(id), "ls /home/classcloud | grep -c '^w.txt$' || true"));
        // The owner's same call works: the refusal is the watcher's, not the route's.
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files", Form(("w.txt", "w")))).OkAsync<UploadedFilesDto>();

        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        var stopped = await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/files?path=w.txt")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("only while it runs", stopped.Detail, StringComparison.Ordinal);
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/files", Form(("v.txt", "v")))).ProblemAsync(HttpStatusCode.Conflict);
    }

    static async Task<long> RunningAsync(TestUser owner, string visibility, string guests)
    {
        var created = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "Files", description = "", kind = "terminal", visibility, guestAccess = guests, start = true }));
        var id = created.GetProperty("id").GetInt64();
        await StateAsync(owner, id, "running");
        return id;
    }

    static MultipartFormDataContent Form(params (string Name, string Text)[] files)
    {
        // Part headers in UTF-8, as browsers send a file's name (HttpClient's default would mangle Korean names).
        var form = new MultipartFormDataContent { HeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        foreach (var (name, text) in files)
        {
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            // The name as a browser sends it (RFC 7578: UTF-8 in the quoted filename), unaltered by HttpClient's encoder.
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename=\"{name}\"");
            form.Add(part);
        }
        return form;
    }

    static async Task<Dictionary<string, string>> TarAsync(Stream tar)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                using var text = new StreamReader(data, Encoding.UTF8);
                entries[entry.Name] = await text.ReadToEndAsync();
            }
        }
        return entries;
    }

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["sh", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }
}
