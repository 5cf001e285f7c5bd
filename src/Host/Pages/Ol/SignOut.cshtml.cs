using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>Ends the client's session on the server (the cookie handler removes it from the store).</summary>
public sealed class SignOutModel : PortalPageModel
{
    protected override bool WorksWhilePortalOff => true;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ClientId is not null)
        {
            await HttpContext.SignOutAsync(AuthSchemes.Portal);
        }

        return Redirect(PortalUrl("/ol/book", ("signedOut", "1")));
    }
}
