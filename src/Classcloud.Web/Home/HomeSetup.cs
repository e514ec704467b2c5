namespace Classcloud.Web.Home;

public static class HomeSetup
{
    /// <summary>The signed-in home's data; its page is found with the other pages.</summary>
    public static WebApplicationBuilder AddHome(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<HomeService>();
        return builder;
    }
}
