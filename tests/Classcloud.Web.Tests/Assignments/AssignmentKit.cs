using System.Formats.Tar;
using System.Net.Http.Json;
using System.Text;
using Classcloud.Web.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>What the assignment tests share: a valid create body, and a submission stored without an engine.</summary>
internal static class AssignmentKit
{
    public static object Body(string title, DateTimeOffset? opensAt = null, DateTimeOffset? dueAt = null, string? slug = null, object[]? tests = null, string language = "shell") => new
    {
        title,
        slug,
        description = "# Sum\nRead two numbers, print their sum.",
        language,
        opensAt = opensAt ?? DateTimeOffset.UtcNow.AddMinutes(-1),
        dueAt = dueAt ?? DateTimeOffset.UtcNow.AddDays(7),
        latePolicy = new { kind = "penalty", percentPerDay = 10, until = (dueAt ?? DateTimeOffset.UtcNow.AddDays(7)).AddDays(3) },
        starterFiles = new[] { new { path = "main.sh", content = "# write your solution here\n" }, new { path = "data/input.txt", content = "1 2\n" } },
        tests = tests ?? new object[]
        {
            new { name = "small", stdin = "1 2\n", expectedStdout = "3\n", compare = "trimmed", points = 2, timeLimitMs = 2000, memoryMb = 64, visibility = "visible" },
            new { name = "later", stdin = "5 5\n", expectedStdout = "10", compare = "numeric", points = 3, timeLimitMs = 2000, memoryMb = 64, visibility = "after-due" },
            new { name = "secret", stdin = "-1 1\n", expectedStdout = "0", compare = "whitespace", points = 5, timeLimitMs = 2000, memoryMb = 64, visibility = "hidden" },
        },
    };

    public static async Task<long> CreateAsync(TestUser educator, long courseId, object body) =>
        (await Api.CreatedAsync(educator.Client.PostAsJsonAsync($"/api/v1/courses/{courseId}/assignments", body))).GetProperty("id").GetInt64();

    /// <summary>Stores a submission of <paramref name="userId"/> with the given files as the collector would, and returns its id.</summary>
    public static async Task<long> SubmissionAsync(ClasscloudHost host, long assignmentId, long userId, IReadOnlyDictionary<string, string> files, double? score = null)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }
        tar.Position = 0;
        var stored = await host.Services.GetRequiredService<SubmissionArchive>().StoreAsync(tar, cut: false, CancellationToken.None);
        return await host.WithDbAsync(async db =>
        {
            var s = new Submission
            {
                AssignmentId = assignmentId, UserId = userId, Source = SubmissionSources.Collect, TakenAt = DateTime.UtcNow, ContentHash = stored.ContentHash,
                FilesJson = System.Text.Json.JsonSerializer.Serialize(stored.Files, System.Text.Json.JsonSerializerOptions.Web), ArchiveKey = stored.Key,
                SizeBytes = stored.SizeBytes, Score = score, GradeState = score is null ? GradeStates.None : GradeStates.Done, MaxScore = 10,
            };
            db.Submissions.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });
    }
}
