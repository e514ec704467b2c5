using System.Formats.Tar;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// The grading pages in Chromium (no engine: the submissions are stored as the collector stores them): the educator
/// runs the similarity report, opens the copied pair side by side with the shared lines marked, grades a submission
/// (highlighted code, the failed test's diff, a rubric tick, feedback, a line comment) and releases; the student sees
/// nothing of it before the release and all of it after, in Korean.
/// </summary>
public sealed class GradingPagesTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    const string Original = "import sys\n\ndef median(values):\n    ordered = sorted(values)\n    middle = len(ordered) // 2\n    if len(ordered) % 2 == 1:\n" +
        "        return ordered[middle]\n    return (ordered[middle - 1] + ordered[middle]) / 2\n\nnumbers = [int(x) for x in sys.stdin.read().split()]\nprint(median(numbers))\n";

    const string Copy = "import sys\n# my own work\ndef mid(xs):\n    s = sorted(xs)\n    h = len(s) // 2\n    if len(s) % 2 == 1:\n" +
        "        return s[h]\n    return (s[h - 1] + s[h]) / 2\n\nnums = [int(v) for v in sys.stdin.read().split()]\nprint(mid(nums))\n";

    [Fact]
    public Task An_educator_compares_grades_and_releases_and_the_student_sees_it_after_the_release() => InBrowserAsync(async session =>
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var student = await Host.UserAsync(TestRole.Student);
        var classmate = await Host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Programming 2", description = "2026-2" }))).GetProperty("id").GetInt64();
        foreach (var s in new[] { student, classmate })
        {
            var application = await Api.CreatedAsync(s.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
            await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        }
        var created = await Api.CreatedAsync(educator.Client.PostAsJsonAsync($"/api/v1/courses/{course}/assignments", new
        {
            title = "Median", slug = "median", description = "Print the median.", language = "python",
            opensAt = DateTimeOffset.UtcNow.AddMinutes(-5), dueAt = DateTimeOffset.UtcNow.AddDays(2),
            starterFiles = new[] { new { path = "main.py", content = "import sys\n" } },
            tests = new[] { new { name = "odd", stdin = "3 1 2\n", expectedStdout = "2\n", compare = "trimmed", points = 1, timeLimitMs = 2000, memoryMb = 64, visibility = "visible" } },
            rubric = new[] { new { text = "Readable names", points = 2 }, new { text = "Handles empty input", points = 1 } },
        }));
        var assignment = created.GetProperty("id").GetInt64();
        var test = created.GetProperty("tests")[0].GetProperty("id").GetInt64();
        var mine = await StoreAsync(assignment, student.Id, Original, score: 0);
        await StoreAsync(assignment, classmate.Id, Copy, score: 1);
        await Host.WithDbAsync(db =>
        {
            db.TestResults.Add(new TestResult { SubmissionId = mine, TestId = test, Passed = false, Points = 0, Actual = "2.0\n", TimeMs = 31, ExitCode = 0 });
            return db.SaveChangesAsync();
        });

        var teacher = await session.NewPageAsync();
        await teacher.SignInAsync(educator.Email);
        await teacher.GotoAsync($"/assignments/{assignment}");
        await teacher.GetByTestId("similarity-check").ClickAsync();
        await Expect(teacher.GetByTestId("similarity-pair")).ToHaveCountAsync(1);
        await teacher.GetByTestId("similarity-open").ClickAsync();
        await Expect(teacher.GetByTestId("marked-line").First).ToBeVisibleAsync();
        Assert.True(await teacher.GetByTestId("marked-line").CountAsync() >= 12, "the copied function and its use are marked on both sides");
        await Artifacts.SaveAsync(teacher, "assignment-similarity.png");

        await teacher.GotoAsync($"/assignments/{assignment}");
        await teacher.GetByTestId($"submission-open-{mine}").ClickAsync();
        await Expect(teacher.Locator(".cc-hl-kw").First).ToHaveTextAsync("import");
        await Expect(teacher.GetByTestId($"diff-{test}")).ToContainTextAsync("- 2");
        await Expect(teacher.GetByTestId($"diff-{test}")).ToContainTextAsync("+ 2.0");
        await teacher.GetByTestId("rubric-1").CheckAsync();
        await teacher.GetByTestId("grade-feedback").FillAsync("Print an integer when the median is one.");
        await teacher.GetByTestId("grade-save").ClickAsync();
        await Expect(teacher.GetByTestId("alert-message")).ToBeVisibleAsync();
        await Expect(teacher.GetByTestId("submission-final")).ToContainTextAsync("2 / 1");
        await Expect(teacher.GetByTestId("rubric-1")).ToBeCheckedAsync();
        var form = teacher.GetByTestId("comment-form-main.py");
        await form.Locator("input[name=line]").FillAsync("8");
        await form.Locator("input[name=text]").FillAsync("Integer division would keep 2 as 2.");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(teacher.Locator("[data-testid^=comment-]").Filter(new() { HasText = "Integer division" })).ToBeVisibleAsync();
        await Artifacts.SaveAsync(teacher, "submission-grading.png");

        var page = await session.NewPageAsync(locale: "ko-KR");
        await page.SignInAsync(student.Email);
        await page.GotoAsync($"/submissions/{mine}");
        await Expect(page.GetByTestId("submission-unreleased")).ToBeVisibleAsync();
        await Expect(page.GetByText("Integer division")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("grade-form")).ToHaveCountAsync(0);

        await teacher.GotoAsync($"/assignments/{assignment}");
        await teacher.GetByTestId("assignment-release").ClickAsync();
        await Expect(teacher.GetByTestId("alert-message")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByTestId("submission-final")).ToContainTextAsync("2 / 1");
        await Expect(page.GetByTestId("submission-feedback")).ToContainTextAsync("Print an integer");
        await Expect(page.GetByText("Integer division would keep 2 as 2.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rubric-view")).ToContainTextAsync("☑ Readable names");
        await Expect(page.GetByText("테스트 결과")).ToBeVisibleAsync();
        await Artifacts.SaveAsync(page, "submission-student-ko.png");
        Assert.Equal(2, await Host.WithDbAsync(db => db.Submissions.Where(s => s.Id == mine).Select(s => s.RubricPoints).SingleAsync()));
    });

    async Task<long> StoreAsync(long assignment, long user, string code, double score)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "main.py") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(code)) });
        }
        tar.Position = 0;
        var stored = await Host.Services.GetRequiredService<SubmissionArchive>().StoreAsync(tar, cut: false, CancellationToken.None);
        return await Host.WithDbAsync(async db =>
        {
            var s = new Submission
            {
                AssignmentId = assignment, UserId = user, Source = SubmissionSources.Submit, TakenAt = DateTime.UtcNow, ContentHash = stored.ContentHash,
                FilesJson = JsonSerializer.Serialize(stored.Files, JsonSerializerOptions.Web), ArchiveKey = stored.Key, SizeBytes = stored.SizeBytes,
                GradeState = GradeStates.Done, Score = score, MaxScore = 1,
            };
            db.Submissions.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });
    }
}
