using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Home;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
