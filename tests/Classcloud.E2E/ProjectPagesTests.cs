using System.IO.Compression;
using System.Text;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Projects;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Issue 14 pages: create a project, upload its ZIP (the template is explained), and the detail page with a
/// build log, revisions with rollback, scaling and variables, in English and Korean. This host has no engine:
/// the finished build and its revisions are written to the database (ProjectEngineTests deploys for real).
/// </summary>
public sealed class ProjectPagesTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Create_upload_and_the_detail_page() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync(locale: "en-US");
        await page.NewAccountAsync(Host, "pj");
        var name = $"site-{Guid.NewGuid():N}"[..14];
        await page.GotoAsync("/projects");
        await Expect(page.GetByTestId("projects-empty")).ToBeVisibleAsync();
        await page.GetByTestId("project-create").ClickAsync();
        await page.GetByTestId("project-name").FillAsync(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("projects-new.png"), FullPage = true });
        await page.GetByTestId("project-submit").ClickAsync();
        await Expect(page.GetByTestId("project-url")).ToHaveTextAsync($"http://{name}.apps.localhost/");

        await page.GetByTestId("project-file").SetInputFilesAsync(new FilePayload { Name = "site.zip", MimeType = "application/zip", Buffer = Zip() });
        await page.GetByTestId("project-upload-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-message")).ToContainTextAsync("static site");

        var id = await Host.WithDbAsync(db => db.Projects.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
        await AddBuildsAsync(id);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("build-log")).ToContainTextAsync("Template static");
        await Expect(page.GetByTestId("revisions")).ToContainTextAsync("r2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("projects-detail.png"), FullPage = true });

        await page.GotoAsync("/projects");
        await Expect(page.GetByTestId("projects-list")).ToContainTextAsync(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("projects-list.png"), FullPage = true });

        var korean = await session.NewPageAsync(locale: "ko-KR");
        await korean.NewAccountAsync(Host, "pjko");
        await korean.GotoAsync("/projects/new");
        await Expect(korean.Locator("h1")).ToHaveTextAsync("새 프로젝트");
        await korean.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("projects-new-ko.png"), FullPage = true });
    });

    /// <summary>What two builds would have left: a log, revisions 1 and 2 (2 current).</summary>
    Task<int> AddBuildsAsync(long projectId) => Host.WithDbAsync(async db =>
    {
        var project = await db.Projects.SingleAsync(p => p.Id == projectId);
        var now = DateTime.UtcNow;
        var log = "==> Template static: Found index.html: the files are served as a static site.\n==> Building 127.0.0.1:5000/classcloud/app/1/site:r2\nStep 1/5 : FROM 127.0.0.1:5000/classcloud/image/system/app-static:latest\n ---> 15133c4f4e7f\nSuccessfully built 4a1b2c3d\n==> Pushing to the registry\n==> Revision 2: 127.0.0.1:5000/classcloud/app/1/site:r2\n";
        var build = new ProjectBuild { ProjectId = projectId, Status = BuildStates.Succeeded, Template = "static", Explanation = "Found index.html: the files are served as a static site.", Log = log, RevisionNumber = 2, RequestedById = project.OwnerId, CreatedAt = now, FinishedAt = now };
        db.ProjectBuilds.Add(build);
        await db.SaveChangesAsync();
        foreach (var n in new[] { 1, 2 })
        {
            db.ProjectRevisions.Add(new ProjectRevision { ProjectId = projectId, Number = n, BuildId = build.Id, Image = $"127.0.0.1:5000/classcloud/app/1/site:r{n}", Digest = "sha256:" + new string((char)('a' + n), 64), Template = "static", CreatedAt = now.AddMinutes(n - 3) });
        }
        await db.SaveChangesAsync();
        project.CurrentRevisionId = await db.ProjectRevisions.Where(r => r.ProjectId == projectId && r.Number == 2).Select(r => r.Id).SingleAsync();
        return await db.SaveChangesAsync();
    });

    static byte[] Zip()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("index.html").Open(), Encoding.UTF8);
            writer.Write("<h1>hello</h1>");
        }
        return memory.ToArray();
    }
}
