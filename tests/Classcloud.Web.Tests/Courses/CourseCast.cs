using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Courses;

/// <summary>The people of the authorization matrix, relative to one course.</summary>
public enum CourseRole
{
    Anonymous,
    Outsider,
    Applicant,
    Member,
    Author,
    Owner,
    CoEducator,
    OtherEducator,
    Admin,
}

/// <summary>
/// The same accounts for every course a test class builds: made once per host through the real
/// flows. Quotas are raised so that building many courses in one class never meets them
/// (quota tests use their own host).
/// </summary>
public sealed record CourseCast(
    TestUser Anonymous, TestUser Outsider, TestUser Applicant, TestUser Member, TestUser Author, TestUser Classmate,
    TestUser Owner, TestUser CoEducator, TestUser OtherEducator, TestUser Admin)
{
    static readonly ConcurrentDictionary<ClasscloudHost, Lazy<Task<CourseCast>>> Casts = new();

    public static Task<CourseCast> ForAsync(ClasscloudHost host) =>
        Casts.GetOrAdd(host, h => new Lazy<Task<CourseCast>>(() => CreateAsync(h))).Value;

    public TestUser this[CourseRole role] => role switch
    {
        CourseRole.Anonymous => Anonymous,
        CourseRole.Outsider => Outsider,
        CourseRole.Applicant => Applicant,
        CourseRole.Member => Member,
        CourseRole.Author => Author,
        CourseRole.Owner => Owner,
        CourseRole.CoEducator => CoEducator,
        CourseRole.OtherEducator => OtherEducator,
        _ => Admin,
    };

    static async Task<CourseCast> CreateAsync(ClasscloudHost host)
    {
        var admin = await host.AdminAsync();
        var settings = await admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
            new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 3, maxCoursesPerEducator = 10_000, maxCoursesPerStudent = 10_000 });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        return new CourseCast(
            await host.UserAsync(TestRole.Anonymous),
            await host.UserAsync(TestRole.Student),
            await host.UserAsync(TestRole.Student),
            await host.UserAsync(TestRole.Student),
            await host.UserAsync(TestRole.Student),
            await host.UserAsync(TestRole.Student),
            await host.UserAsync(TestRole.Educator),
            await host.UserAsync(TestRole.Educator),
            await host.UserAsync(TestRole.Educator),
            admin);
    }

    /// <summary>
    /// A course owned by Owner with CoEducator teaching, Member, Author and Classmate accepted,
    /// Applicant pending, an everyone question and an educators-only question by Author (each with
    /// an attachment), a notice by Owner, and a comment by Author.
    /// </summary>
    public async Task<CourseFixture> NewCourseAsync(string? name = null)
    {
        var course = await Api.CreatedAsync(Owner.Client.PostAsJsonAsync("/api/v1/courses",
            new { name = name ?? "Course " + Guid.NewGuid().ToString("N")[..8], description = "2026-1" }));
        var id = course.GetProperty("id").GetInt64();
        await Api.CreatedAsync(Owner.Client.PostAsJsonAsync($"/api/v1/courses/{id}/coeducators", new { userId = CoEducator.Id }));
        foreach (var student in new[] { Member, Author, Classmate })
        {
            var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{id}/applications", null));
            await Api.OkAsync(Owner.Client.PostAsync($"/api/v1/courses/{id}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        }
        var pending = await Api.CreatedAsync(Applicant.Client.PostAsync($"/api/v1/courses/{id}/applications", null));
        var everyone = await PostAsync(Author, id, "questions", "Everyone question", "everyone");
        var educators = await PostAsync(Author, id, "questions", "Private question", "educators");
        var notice = await PostAsync(Owner, id, "notice", "Notice", "everyone");
        var comment = await Api.CreatedAsync(Author.Client.PostAsJsonAsync($"/api/v1/posts/{everyone}/comments", new { body = "first" }));
        var attachment = await AttachAsync(Author, everyone, "notes.txt", "hello"u8.ToArray());
        var privateAttachment = await AttachAsync(Author, educators, "secret.txt", "secret"u8.ToArray());
        return new CourseFixture(id, pending.GetProperty("id").GetInt64(), everyone, educators, notice,
            comment.GetProperty("comment").GetProperty("id").GetInt64(), attachment, privateAttachment);
    }

    public static async Task<long> PostAsync(TestUser user, long courseId, string board, string title, string visibility, string body = "Body")
    {
        var post = await Api.CreatedAsync(user.Client.PostAsJsonAsync($"/api/v1/courses/{courseId}/boards/{board}/posts", new { title, body, visibility }));
        return post.GetProperty("id").GetInt64();
    }

    public static async Task<long> AttachAsync(TestUser user, long postId, string name, byte[] content)
    {
        var created = await Api.CreatedAsync(user.Client.PostAsync($"/api/v1/posts/{postId}/attachments", Api.File(name, content)));
        return created.GetProperty("id").GetInt64();
    }
}

public sealed record CourseFixture(long Id, long ApplicationId, long EveryonePost, long EducatorsPost, long Notice, long Comment, long Attachment, long PrivateAttachment);

/// <summary>Small helpers for reading API answers with a clear message when the status is not the expected one.</summary>
public static class Api
{
    public static async Task<JsonElement> CreatedAsync(Task<HttpResponseMessage> call) => await ExpectAsync(call, HttpStatusCode.Created);

    public static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> call) => await ExpectAsync(call, HttpStatusCode.OK);

    public static async Task<JsonElement> ExpectAsync(Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static MultipartFormDataContent File(string name, byte[] content, string field = "file")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, field, name);
        return form;
    }

    public static MultipartFormDataContent Csv(string text, Encoding? encoding = null) =>
        File("roster.csv", (encoding ?? new UTF8Encoding(false)).GetBytes(text));
}
