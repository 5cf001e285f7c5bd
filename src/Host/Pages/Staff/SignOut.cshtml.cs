using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.Host.Pages.Staff;

/// <summary>POST /staff/sign-out ends the session on the server and returns to that business's sign-in page.</summary>
[StaffSessionUser] // the layout's sign-out form carries a token bound to the staff member
public sealed class SignOutModel(Booking.BuildingBlocks.Tenancy.ITenantDirectory directory) : PageModel
{
    public IActionResult OnGet() => Redirect("/staff");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var auth = await HttpContext.AuthenticateAsync(AuthSchemes.Staff);
        var slug = auth.Succeeded && Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var id)
            ? (await directory.FindByIdAsync(id, ct))?.Slug
            : null;
        await HttpContext.SignOutAsync(AuthSchemes.Staff);
        // The sign-in page says so (a shared computer's next user sees the session ended), as the portal's does.
        return Redirect(slug is null ? "/staff/sign-in?signedOut=1" : $"/staff/sign-in?name={Uri.EscapeDataString(slug)}&signedOut=1");
    }
}
