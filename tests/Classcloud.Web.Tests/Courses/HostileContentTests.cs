using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

/// <summary>Hostile posts, comments and files (issue 6 tests): nothing runs, nothing escapes, nothing oversized is stored.</summary>
public abstract partial class HostileContentTests
{
    readonly ClasscloudHost host;

    protected HostileContentTests(ClasscloudHost host)
    {
        this.host = host;
        // A small attachment limit keeps the oversized upload small; set before the host starts.
        host.Configure("Classcloud:Courses:MaxAttachmentBytes", "65536");
    }

    static readonly string[] AllowedTags = ["p", "a", "img", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "del", "h1", "h2", "h3", "hr", "input", "table", "thead", "tbody", "tr", "th", "td"];
    static readonly string[] AllowedAttributes = ["href", "src", "alt", "title", "rel", "class", "disabled", "type", "checked", "id", "style"];

    [Fact]
    public async Task Script_event_handlers_and_dangerous_links_never_reach_the_rendered_html()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var body = string.Join("\n\n",
            "<script>alert(1)</script>",
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) <javascript:alert(3)> [z](java&#x09;script:alert(4))",
            "<img src=x onerror=alert(5)> <svg onload=alert(6)><script>alert(7)</script></svg>",
            "<a href=\"https://ok.example\" onclick=\"alert(8)\">a</a>",
            "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(10))",
            "![outside](https://evil.example/track.png) ![inside](/api/v1/attachments/123)",
            "[fine](https://example.com/a?b=c) {onclick=alert(11)}",
            "[ref]\n\n[ref]: javascript:alert(12)");
        var id = await CourseCast.PostAsync(cast.Author, course.Id, "free", "<b>title</b>", "everyone", body);
        var post = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{id}"));
        Assert.Equal(body, post.GetProperty("body").GetString());
        var html = post.GetProperty("html").GetString()!;

        Assert.Contains("&lt;script&gt;", html);
        // Every link and image target is http(s), mailto or a path on this site; dangerous schemes
        // may remain only as visible text (an autolink of javascript: becomes plain text).
        var targets = UrlAttribute().Matches(html).Select(m => m.Groups[2].Value).ToList();
        Assert.NotEmpty(targets);
        Assert.All(targets, target => Assert.Matches("^(https?:|mailto:|/|#)", target));
        foreach (Match tag in Tag().Matches(html))
        {
            var name = tag.Groups[1].Value.ToLowerInvariant();
            Assert.True(AllowedTags.Contains(name), $"Unexpected tag <{name}> in {html}");
            var attributes = Regex.Replace(tag.Groups[2].Value, "\"[^\"]*\"", "\"\"");
            foreach (Match attribute in Attribute().Matches(attributes))
            {
                Assert.True(AllowedAttributes.Contains(attribute.Groups[1].Value.ToLowerInvariant()), $"Unexpected attribute {attribute.Value} in {tag.Value}");
            }
            if (name == "a")
            {
                Assert.Contains("rel=\"nofollow noopener\"", tag.Value);
            }
            if (name == "img")
            {
                Assert.Contains("src=\"/api/v1/attachments/123\"", tag.Value);
            }
        }
        Assert.Single(Tag().Matches(html), m => m.Groups[1].Value == "img");
        Assert.Contains("href=\"https://example.com/a?b=c\"", html);

        var comment = await Api.CreatedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{id}/comments", new { body = "<script>x</script>[c](javascript:alert(1))" }));
        var commentHtml = comment.GetProperty("comment").GetProperty("html").GetString()!;
        Assert.DoesNotContain("<script", commentHtml);
        Assert.All(UrlAttribute().Matches(commentHtml).Select(m => m.Groups[2].Value), target => Assert.Matches("^(https?:|mailto:|/|#)", target));
    }

    [Fact]
    public async Task Oversized_and_absurdly_nested_text_is_refused_and_not_stored()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var url = $"/api/v1/courses/{course.Id}/boards/free/posts";
        var before = await host.WithDbAsync(db => db.Posts.CountAsync(p => p.CourseId == course.Id));

        var big = await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync(url, new { title = "big", body = new string('a', 50_001) }), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("50000", big.GetProperty("detail").GetString()!.Replace(",", "", StringComparison.Ordinal));
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync(url, new { title = new string('t', 201), body = "b" }), HttpStatusCode.BadRequest);
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync(url, new { title = "   ", body = "b" }), HttpStatusCode.BadRequest);
        var quotes = await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync(url, new { title = "deep", body = new string('>', 5000) + " x" }), HttpStatusCode.BadRequest);
        Assert.Contains("nested", quotes.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync(url, new { title = "deep", body = string.Concat(Enumerable.Repeat("- ", 3000)) + "x" }), HttpStatusCode.BadRequest);
        // Far past the JSON body limit: refused before it is read.
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync(url, new { title = "huge", body = new string('a', 2_000_000) }), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await host.WithDbAsync(db => db.Posts.CountAsync(p => p.CourseId == course.Id)));

        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{course.EveryonePost}/comments", new { body = new string('c', 5_001) }), HttpStatusCode.RequestEntityTooLarge);
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{course.EveryonePost}/comments", new { body = "  " }), HttpStatusCode.BadRequest);
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{course.EveryonePost}/comments", new { body = "x", parentId = 999_999_999 }), HttpStatusCode.NotFound);
        Assert.Equal(1, await host.WithDbAsync(db => db.Comments.CountAsync(c => c.PostId == course.EveryonePost)));
    }

    [Theory]
    [InlineData("../../../../etc/cron.d/evil.txt", "evil.txt")]
    [InlineData("..\\..\\windows\\boot.ini.txt", "boot.ini.txt")]
    [InlineData("/etc/passwd.txt", "passwd.txt")]
    [InlineData("....//....//x.txt", "x.txt")]
    [InlineData("report\u202Etxt.exe.txt", "reporttxt.exe.txt")]
    [InlineData(".hidden.txt", "hidden.txt")]
    public async Task Path_traversal_names_are_only_labels_and_files_stay_in_the_store(string uploaded, string expected)
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var created = await Api.CreatedAsync(cast.Author.Client.PostAsync($"/api/v1/posts/{course.EveryonePost}/attachments", Api.File(uploaded, "payload"u8.ToArray())));
        Assert.Equal(expected, created.GetProperty("fileName").GetString());
        var key = await host.WithDbAsync(db => db.Attachments.Where(a => a.Id == created.GetProperty("id").GetInt64()).Select(a => a.StorageKey).SingleAsync());
        Assert.Matches("^[0-9a-f]{32}$", key);
        var store = Path.Combine(host.DataDirectory, "files", "attachments");
        Assert.True(File.Exists(Path.Combine(store, key[..2], key)));
        Assert.DoesNotContain(Directory.EnumerateFiles(host.DataDirectory, "*", SearchOption.AllDirectories), f => f.EndsWith(expected, StringComparison.Ordinal));

        var download = await cast.Member.Client.GetAsync(created.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(expected, download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("payload", await download.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Svg_html_and_fake_images_are_refused_and_real_images_are_served_inline_safely()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var url = $"/api/v1/posts/{course.EveryonePost}/attachments";
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>"u8.ToArray();
        var refused = await Api.ExpectAsync(cast.Author.Client.PostAsync(url, Api.File("logo.svg", svg)), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(".svg", refused.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.Author.Client.PostAsync(url, Api.File("page.html", "<script>alert(1)</script>"u8.ToArray())), HttpStatusCode.UnsupportedMediaType);
        await Api.ExpectAsync(cast.Author.Client.PostAsync(url, Api.File("logo.png", svg)), HttpStatusCode.BadRequest);
        await Api.ExpectAsync(cast.Author.Client.PostAsync(url, Api.File("big.txt", new byte[65_537])), HttpStatusCode.RequestEntityTooLarge);
        await Api.ExpectAsync(cast.Author.Client.PostAsync(url, Api.File("noname", "x"u8.ToArray())), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(1, await host.WithDbAsync(db => db.Attachments.CountAsync(a => a.PostId == course.EveryonePost)));
        // Refused uploads leave no file behind: the store holds exactly the stored rows' files.
        Assert.Equal(await host.WithDbAsync(db => db.Attachments.CountAsync()),
            Directory.EnumerateFiles(Path.Combine(host.DataDirectory, "files", "attachments"), "*", SearchOption.AllDirectories).Count());

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
        var image = await Api.CreatedAsync(cast.Author.Client.PostAsync(url, Api.File("diagram.png", png)));
        var download = await cast.Member.Client.GetAsync(image.GetProperty("url").GetString());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [GeneratedRegex("(href|src)=\"([^\"]*)\"")]
    private static partial Regex UrlAttribute();

    [GeneratedRegex("<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=")]
    private static partial Regex Attribute();
}

public sealed class SqliteHostileContentTests(SqliteHost host) : HostileContentTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresHostileContentTests(PostgresHost host) : HostileContentTests(host), IClassFixture<PostgresHost>;
