using Booking.Host.Demo;

namespace Booking.Host.Pages.Ol;

/// <summary>The booking URL a business shares: /ol/book?name=&lt;slug&gt;. There is no separate portal link.</summary>
public sealed class BookModel(IWebHostEnvironment environment) : PortalPageModel
{
    protected override bool ShowsPortalOffItself => true;

    public bool PortalOff => !Settings.Enabled;

    /// <summary>Development's demo business shows its demo logins, so a person can try it from the page alone.</summary>
    public bool ShowDemoHint => environment.IsDevelopment() && Business.Slug == DemoSeeder.Slug;

    public void OnGet()
    {
        if (PortalOff)
        {
            Response.StatusCode = StatusCodes.Status200OK;
        }
    }
}
