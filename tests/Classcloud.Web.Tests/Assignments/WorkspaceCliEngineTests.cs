using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Accounts;
using Classcloud.Web.Assignments;
using Classcloud.Web.Assignments.WorkspaceCli;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

using static Classcloud.Web.Tests.Assignments.AssignmentEngineKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// The <c>classcloud</c> command in a real course workspace (issue 13): an unprivileged container reaches the
/// server through the read-only mounted Unix socket with the token it got at start; list, tree, go (the shell
/// function changes directory), test (visible tests only, a failing one with its diff), submit and status work; the
/// socket serves nothing else, TCP does not serve the command's routes, and tokens of another course, of another
/// user, unknown ones and the one of a deleted workspace are refused.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WorkspaceCliEngineTests(EngineFixture engine, ITestOutputHelper output) : EngineHostTests(engine, "cli")
{
    // The test base image has no curl (the real terminal image has); this one adds it and the same profile hook as images/terminal.
    protected override string TerminalImage => "classcloud-test/workspace-cli:1";

    protected override string? OwnImageDockerfile => """
        FROM classcloud-test/base:1
        USER 0
        RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null && rm -rf /var/lib/apt/lists/* \
         && printf '[ -r /opt/classcloud/profile.sh ] && . /opt/classcloud/profile.sh\n' > /etc/profile.d/classcloud.sh
        USER 1000:1000
        CMD ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
        """;

    [Fact]
    public async Task The_command_lists_moves_tests_submits_and_is_refused_outside_its_token()
    {
        var names = Host.Services.GetRequiredService<WorkspaceNames>();
        var educator = await Host.UserAsync(TestRole.Educator);
        var student = await Host.UserAsync(TestRole.Student);
        var other = await Host.UserAsync(TestRole.Student);
        var course = await CourseAsync(educator, "CLI course", student);
        var otherCourse = await CourseAsync(educator, "Other course", other);
        var ws = await WorkspaceAsync(student, course);
        var otherWs = await WorkspaceAsync(other, otherCourse); // created, never started: its token row exists all the same
        await WorkspaceEngineTests.Accepted(student.Client.PostAsync($"/api/v1/workspaces/{ws}/start", null));
        await StateAsync(student, ws, "running");

        var tests = new object[]
        {
            new { name = "add", stdin = "1 2\n", expectedStdout = "3\n", compare = "trimmed", points = 2, timeLimitMs = 3000, memoryMb = 64, visibility = "visible" },
            new { name = "product", stdin = "2 3\n", expectedStdout = "6\n", compare = "trimmed", points = 2, timeLimitMs = 3000, memoryMb = 64, visibility = "visible" },
            new { name = "never-shown", stdin = "777 1\n", expectedStdout = "778", compare = "trimmed", points = 6, timeLimitMs = 3000, memoryMb = 64, visibility = "hidden" },
        };
        var id = await AssignmentKit.CreateAsync(educator, course, AssignmentKit.Body("Sum", slug: "sum", tests: tests));
        await AssignmentKit.CreateAsync(educator, otherCourse, AssignmentKit.Body("Elsewhere", slug: "elsewhere"));
        await UntilAsync(() => Host.WithDbAsync(db => db.AssignmentDeliveries.CountAsync(d => d.AssignmentId == id && d.Error == null)), n => n == 1, "delivery");
        var workload = names.Workload(ws);

        // The container is unprivileged, the folder read-only; the socket answers through it.
        Assert.Equal("1000\n", await ShAsync(workload, "id -u"));
        Assert.Contains("ro", (await ShAsync(workload, "grep ' /opt/classcloud ' /proc/mounts")).Split(' ')[3].Split(','));
        Assert.Equal("ok\n", await ShAsync(workload, "curl -s --unix-socket /opt/classcloud/run/workspace-api.sock http://x/healthz"));

        var list = await ShAsync(workload, "bash -lc 'classcloud -l'");
        Assert.Contains("1. sum  Sum", list, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", list, StringComparison.Ordinal);
        Assert.Contains("└── sum/", await ShAsync(workload, "bash -lc 'classcloud -t'"), StringComparison.Ordinal);
        Assert.Contains("cd \"/home/classcloud/assignments/sum\"", await ShAsync(workload, "bash -lc 'classcloud -m 1'"), StringComparison.Ordinal);
        Assert.EndsWith("/home/classcloud/assignments/sum\n", await ShAsync(workload, "bash -lc 'classcloud go 1 >/dev/null && pwd'"), StringComparison.Ordinal);

        // test: the solution adds, so "add" passes and "product" fails with its diff; the hidden test never shows.
        await ShAsync(workload, "printf 'read a b\\necho $((a+b))\\n' > ~/assignments/sum/main.sh");
        var script = await ShAsync(workload, "curl -s -K /dev/stdin --unix-socket /opt/classcloud/run/workspace-api.sock http://x/api/v1/workspace-cli/assignments/1/test-script <<EOF\nheader = \"Authorization: Bearer $CLASSCLOUD_TOKEN\"\nEOF");
        Assert.DoesNotContain("777", script, StringComparison.Ordinal);
        var report = await ShAsync(workload, "bash -lc 'classcloud test 1'");
        Assert.Contains("[PASS] 1. add", report, StringComparison.Ordinal);
        Assert.Contains("[FAIL] 2. product", report, StringComparison.Ordinal);
        Assert.Contains("  - 6\n  + 5\n", report, StringComparison.Ordinal);
        Assert.Contains("1 of 2 visible tests passed.", report, StringComparison.Ordinal);
        Assert.DoesNotContain("never-shown", report + list, StringComparison.Ordinal);

        // submit and status; the submission is the student's, taken from the folder now.
        Assert.Contains("Submitted sum: ", await ShAsync(workload, "bash -lc 'classcloud submit sum'"), StringComparison.Ordinal);
        var submission = await Host.WithDbAsync(db => db.Submissions.SingleAsync(s => s.AssignmentId == id && s.UserId == student.Id));
        Assert.Equal(SubmissionSources.Submit, submission.Source);
        Assert.Contains("1. sum  [Submitted]  last submitted", await ShAsync(workload, "bash -lc 'classcloud status'"), StringComparison.Ordinal);

        // Worded in the reader's language.
        await Host.WithDbAsync(db => db.Users.Where(u => u.Id == student.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Culture, "ko")));
        Assert.Contains("Classcloud 안내", await ShAsync(workload, "bash -lc 'classcloud -g'"), StringComparison.Ordinal);

        // A round trip well under a second (a hang would show here), and the figure: median of 20 against curl of /healthz on the same socket.
        var lister = await MillisecondsAsync(workload, "/opt/classcloud/bin/classcloud -l");
        var baseline = await MillisecondsAsync(workload, "curl -s --unix-socket /opt/classcloud/run/workspace-api.sock http://x/healthz");
        output.WriteLine($"classcloud -l: median {Median(lister):0.0} ms, max {lister.Max():0.0} ms; curl /healthz: median {Median(baseline):0.0} ms (20 runs each, in the container)");
        Assert.InRange(lister.Max(), 0, 999);

        // The matrix: the socket serves only the command's routes, TCP none of them; each token only its own user and course.
        var token = (await ShAsync(workload, "printf %s \"$CLASSCLOUD_TOKEN\"")).Trim();
        Assert.StartsWith(WorkspaceCliToken.Prefix, token, StringComparison.Ordinal);
        var socket = Host.Services.GetRequiredService<WorkspaceCliFiles>().SocketPath;
        using var cli = SocketClient(socket);
        Assert.Equal(HttpStatusCode.NotFound, (await cli.SendAsync(Get("/api/v1/courses", token))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await student.Client.SendAsync(Get("/api/v1/workspace-cli/assignments", token))).StatusCode);
        var otherToken = await TokenAsync(otherWs, other.Id, otherCourse);
        var strangerToken = await TokenAsync(ws, other.Id, course); // a row naming a user who does not own the workspace
        foreach (var (method, path) in WorkspaceCliRoutes.All)
        {
            var route = path.Replace("{n}", "sum", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await cli.SendAsync(new HttpRequestMessage(new HttpMethod(method), route))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await cli.SendAsync(Request(method, route, "ccw_unknown"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await cli.SendAsync(Request(method, route, strangerToken))).StatusCode);
            // The other course's token cannot name this course's assignment at all.
            var expected = path.Contains("{n}", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.Equal(expected, (await cli.SendAsync(Request(method, route, otherToken))).StatusCode);
        }
        Assert.Contains("elsewhere", await (await cli.SendAsync(Get("/api/v1/workspace-cli/assignments", otherToken))).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Stopping keeps the token (a new one would replace the container); deleting the workspace revokes it.
        await WorkspaceEngineTests.Accepted(student.Client.PostAsync($"/api/v1/workspaces/{ws}/stop", null));
        await StateAsync(student, ws, "stopped");
        Assert.Equal(HttpStatusCode.OK, (await cli.SendAsync(Get("/api/v1/workspace-cli/assignments", token))).StatusCode);
        await WorkspaceEngineTests.Accepted(student.Client.DeleteAsync($"/api/v1/workspaces/{ws}"));
        await UntilAsync(() => Host.WithDbAsync(db => db.Workspaces.AnyAsync(w => w.Id == ws)), exists => !exists, "deletion");
        Assert.Equal(HttpStatusCode.Unauthorized, (await cli.SendAsync(Get("/api/v1/workspace-cli/assignments", token))).StatusCode);
    }

    static async Task<long> CourseAsync(TestUser educator, string name, TestUser student)
    {
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name, description = "2026-1" }))).GetProperty("id").GetInt64();
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        return course;
    }

    /// <summary>A token row of our own making (the real ones exist only encrypted in the workload request).</summary>
    async Task<string> TokenAsync(long workspace, long user, long course)
    {
        var secret = SecretTokens.Create(WorkspaceCliToken.Prefix);
        await Host.WithDbAsync(async db =>
        {
            db.Set<WorkspaceCliToken>().Add(new WorkspaceCliToken { WorkspaceId = workspace, UserId = user, CourseId = course, TokenHash = SecretTokens.Hash(secret), CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        return secret;
    }

    static HttpRequestMessage Get(string path, string token) => Request("GET", path, token);

    static HttpRequestMessage Request(string method, string path, string token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    static HttpClient SocketClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://workspace") };

    async Task<List<double>> MillisecondsAsync(WorkloadId workload, string command)
    {
        var lines = await ShAsync(workload, $"for i in $(seq 20); do s=$(date +%s%N); {command} >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done");
        return [.. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture) / 1000)];
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stdout} {result.Stderr}");
        return result.Stdout;
    }
}
