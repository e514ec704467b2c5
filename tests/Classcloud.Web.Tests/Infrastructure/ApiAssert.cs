using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>Assertions on API answers: exact status, and errors as ProblemDetails that say what went wrong.</summary>
public static class ApiAssert
{
    public static async Task<ProblemDetails> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(body, System.Text.Json.JsonSerializerOptions.Web);
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), $"The {(int)status} problem has no detail: {body}");
        return problem;
    }

    public static async Task<T> OkAsync<T>(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }

    public static async Task StatusAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
    }

    /// <summary>DELETE with a JSON body (HttpClient has no shortcut for it).</summary>
    public static Task<HttpResponseMessage> DeleteAsJsonAsync<T>(this HttpClient client, string uri, T body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, uri) { Content = JsonContent.Create(body) });
}
