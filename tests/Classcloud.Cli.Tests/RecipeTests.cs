using Classcloud.Cli.Images;

namespace Classcloud.Cli.Tests;

public sealed class RecipeTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("classcloud-recipes-").FullName;

    public RecipeTests()
    {
        Directory.CreateDirectory(Path.Combine(folder, "base"));
        File.WriteAllText(Path.Combine(folder, "base", "build.sh"), "echo base\n");
        foreach (var name in new[] { "terminal", "desktop", "grader" })
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            File.WriteAllText(Path.Combine(folder, name, "Dockerfile"), $"FROM scratch\n# {name}\n");
        }
        Directory.CreateDirectory(Path.Combine(folder, "notes")); // no Dockerfile: not a recipe
    }

    [Fact]
    public void Base_comes_first_then_the_named_recipes_in_the_order_given_or_all()
    {
        var all = Recipes.List(folder);
        Assert.Equal(["base", "desktop", "grader", "terminal"], all.Select(r => r.Name));
        Assert.Equal(["base", "grader", "terminal"], Recipes.Select(all, ["grader", "base", "terminal", "grader"]).Order.Select(r => r.Name));
        Assert.Equal(["base", "desktop", "grader", "terminal"], Recipes.Select(all, []).Order.Select(r => r.Name));
        var (order, unknown) = Recipes.Select(all, ["terminal", "notes", "gui"]);
        Assert.Empty(order);
        Assert.Equal(["notes", "gui"], unknown);
    }

    [Fact]
    public void The_hash_follows_the_files_and_the_parent()
    {
        var terminal = Recipes.List(folder).Single(r => r.Name == "terminal");
        var first = terminal.Hash("parent-1");
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(first, terminal.Hash("parent-1"));
        Assert.NotEqual(first, terminal.Hash("parent-2"));
        File.WriteAllText(Path.Combine(folder, "terminal", "extra.txt"), "x");
        Assert.NotEqual(first, terminal.Hash("parent-1"));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
