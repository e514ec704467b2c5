using System.Diagnostics;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>What the assignment engine tests share: a student's course workspace, and waiting on a value read again.</summary>
static class AssignmentEngineKit
{
    internal static async Task<long> WorkspaceAsync(TestUser user, long course)
    {
        var created = await Api.CreatedAsync(user.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "Course terminal", description = "", kind = "terminal", visibility = "private", guestAccess = "view", courseId = course }));
        var id = created.GetProperty("id").GetInt64();
        await StateAsync(user, id, "stopped");
        return id;
    }

    internal static async Task UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 120)
    {
        var clock = Stopwatch.StartNew();
        T last = await read();
        while (!done(last))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"{what}: not done within {seconds} s; last {last}");
            await Task.Delay(200);
            last = await read();
        }
    }
}
