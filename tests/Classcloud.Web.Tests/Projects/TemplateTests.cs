using Classcloud.Web.Projects;

namespace Classcloud.Web.Tests.Projects;

/// <summary>Which template a source tree gets, why, and the Dockerfile generated from our own base images.</summary>
public sealed class TemplateTests
{
    static (string? Template, string Why) Detect(params (string Name, string Text)[] files) =>
        Templates.Detect(files.Select(f => f.Name).ToHashSet(), name => files.Single(f => f.Name == name).Text);

    [Fact]
    public void Each_template_is_recognised_and_explained()
    {
        Assert.Equal(Templates.Dockerfile, Detect(("Dockerfile", "FROM x"), ("index.html", "")).Template);
        var node = Detect(("package.json", """{"scripts":{"start":"node server.js"}}"""), ("index.html", ""));
        Assert.Equal(Templates.Node, node.Template);
        Assert.Contains("start script", node.Why, StringComparison.Ordinal);
        Assert.Equal(Templates.Static, Detect(("package.json", """{"scripts":{"build":"x"}}"""), ("index.html", "")).Template);
        var python = Detect(("requirements.txt", "flask"), ("app.py", ""));
        Assert.Equal(Templates.Python, python.Template);
        Assert.Contains("requirements.txt", python.Why, StringComparison.Ordinal);
        Assert.Equal(Templates.Python, Detect(("main.py", "")).Template);
        var none = Detect(("README.md", ""));
        Assert.Null(none.Template);
        Assert.Contains("index.html", none.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_dockerfiles_start_from_the_given_base_and_listen_on_port()
    {
        var files = new HashSet<string> { "app.py", "requirements.txt" };
        var python = Templates.DockerfileFor(Templates.Python, "127.0.0.1:5000/classcloud/image/system/app-python:latest", files, 8080);
        Assert.StartsWith("FROM 127.0.0.1:5000/classcloud/image/system/app-python:latest", python, StringComparison.Ordinal);
        Assert.Contains("pip install", python, StringComparison.Ordinal);
        Assert.Contains("USER 1000", python, StringComparison.Ordinal);
        Assert.Contains("ENV PORT=8080", python, StringComparison.Ordinal);
        var site = Templates.DockerfileFor(Templates.Static, "base:1", new HashSet<string> { "index.html" }, 8080);
        Assert.Contains("busybox httpd -f -v -p ${PORT}", site, StringComparison.Ordinal);
        Assert.Contains("\"npm\", \"start\"", Templates.DockerfileFor(Templates.Node, "node:1", new HashSet<string> { "package.json" }, 8080), StringComparison.Ordinal);
    }
}
