using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>
/// Issue 17: sign-up errors come all at once and beside their fields. The API names every field's errors in
/// <c>errors</c> (the detail joins them); the page marks each input and writes its error under it, in Korean too.
/// </summary>
public abstract class SignUpErrorsTests(ClasscloudHost host)
{
    [Fact]
    public async Task The_api_names_every_bad_field_at_once()
    {
        using var client = host.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "not-an-address", password = "short", name = "", nickname = "", role = "pilot" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(new[] { "email", "name", "nickname", "password", "role" }, errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("at least", errors.GetProperty("password")[0].GetString(), StringComparison.Ordinal); // the password rules, not only "required"

        // A registered address is a conflict of the e-mail field alone.
        var taken = await host.UserAsync(TestRole.Student);
        var again = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = taken.Email, password = "Passw0rd-long", name = "A", nickname = "a", role = "student" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(new[] { "email" }, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_page_shows_each_error_under_its_field_in_korean()
    {
        using var client = host.NewClient();
        var token = await client.AntiforgeryTokenAsync("/signup");
        using var request = PageForms.Korean("POST", "/signup");
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "nobody@",
            ["Password"] = "abc",
            ["Name"] = "",
            ["Nickname"] = "별명",
            ["Role"] = "student",
            ["__RequestVerificationToken"] = token,
        });
        var html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        foreach (var field in new[] { "email", "password", "name" })
        {
            Assert.Contains($"data-testid=\"signup-error-{field}\"", html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("data-testid=\"signup-error-nickname\"", html, StringComparison.Ordinal);
        Assert.Contains("아래 표시된 항목을 고쳐 주세요.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"별명\"", html, StringComparison.Ordinal); // what was right stays filled in
    }
}

public sealed class SqliteSignUpErrorsTests(SqliteHost host) : SignUpErrorsTests(host), IClassFixture<SqliteHost>;
