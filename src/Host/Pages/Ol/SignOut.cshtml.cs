using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// Ends the client's session on the server (the cookie handler removes it from the store). Only a POST with antiforgery
/// signs out; a GET (a bookmark, a typed address) says what signing out does and offers the button. A <c>returnUrl</c>
/// this business's portal accepts (<see cref="PortalReturnUrl"/>) is where the sign-out goes on to: the "not in this
/// account" pages send the client back to the link they opened, to sign in as someone else (decision 235).
/// </summary>
public sealed class SignOutModel : PortalPageModel
{
    protected override bool WorksWhilePortalOff => true;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ClientId is not null)
        {
            await HttpContext.SignOutAsync(AuthSchemes.Portal);
        }

        return Redirect(ReturnTo(ReturnUrl) ?? PortalUrl("/ol/book", ("signedOut", "1")));
    }
}
