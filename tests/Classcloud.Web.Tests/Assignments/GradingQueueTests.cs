using Classcloud.Web.Assignments;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// Several grading workers take from one queue on both databases: eight claimers, each with its own DbContext, racing
/// for five queued submissions get five different ones (each now running) and three nothing; a submission
/// not queued is never taken.
/// </summary>
public abstract class GradingQueueTests(ClasscloudHost host)
{
    [Fact]
    public async Task Concurrent_claimers_never_take_the_same_submission()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var assignment = await AssignmentKit.CreateAsync(cast.Owner, course.Id, AssignmentKit.Body("Queued"));
        var files = new Dictionary<string, string> { ["main.sh"] = "echo\n" };
        var queued = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            queued.Add(await AssignmentKit.SubmissionAsync(host, assignment, cast.Member.Id, files));
        }
        var untouched = await AssignmentKit.SubmissionAsync(host, assignment, cast.Member.Id, files);
        await host.WithDbAsync(db => db.Submissions.Where(s => queued.Contains(s.Id)).ExecuteUpdateAsync(s => s.SetProperty(x => x.GradeState, GradeStates.Queued)));

        var scopes = Enumerable.Range(0, 8).Select(_ => host.Services.CreateAsyncScope()).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var claims = scopes.Select(async scope =>
            {
                var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
                await start.WaitAsync();
                return await GradingQueue.ClaimNextAsync(db, CancellationToken.None);
            }).ToList();
            start.Release(scopes.Count);
            var taken = (await Task.WhenAll(claims)).Where(s => s is not null).Select(s => s!).ToList();

            Assert.Equal(queued.Order(), taken.Select(s => s.Id).Order());
            Assert.All(taken, s => Assert.Equal(GradeStates.Running, s.GradeState));
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
        var states = await host.WithDbAsync(db => db.Submissions.Where(s => s.AssignmentId == assignment).ToDictionaryAsync(s => s.Id, s => s.GradeState));
        Assert.All(queued, id => Assert.Equal(GradeStates.Running, states[id]));
        Assert.Equal(GradeStates.None, states[untouched]);
        await using var last = host.Services.CreateAsyncScope();
        Assert.Null(await GradingQueue.ClaimNextAsync(last.ServiceProvider.GetRequiredService<ClasscloudDb>(), CancellationToken.None));
    }
}

public sealed class SqliteGradingQueueTests(SqliteHost host) : GradingQueueTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresGradingQueueTests(PostgresHost host) : GradingQueueTests(host), IClassFixture<PostgresHost>;
