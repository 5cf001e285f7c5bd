using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The page a staff email confirmation links to: /staff/verify-email?name=&amp;token=. Opening it changes nothing
/// (mail scanners open links, and a scanner at a mistyped address is not its owner's proof); it shows the address and
/// one button, and only the post confirms it (<see cref="VerifyStaffEmail"/>, as <c>POST /api/v1/staff/auth/verify-email</c>).
/// No sign-in needed: the link is the proof. The business from <c>?name=</c>, as the other entry pages.
/// </summary>
public sealed class VerifyEmailModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>The link's address while it can confirm it (or it is confirmed already).</summary>
    public StaffEmailLinkState? Link { get; private set; }

    /// <summary>Used, replaced, expired, forged, another business's, or for an address no longer the person's.</summary>
    public bool LinkDead { get; private set; }

    /// <summary>After the post: the address confirmed.</summary>
    public StaffEmailVerified? Confirmed { get; private set; }

    public string FormAction => $"{StaffUrl("/staff/verify-email")}&token={Uri.EscapeDataString(Token ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct) && !string.IsNullOrEmpty(Token))
        {
            Link = await Sender.Send(new CheckStaffEmailConfirmation(Token), ct);
            LinkDead = Link is null;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || string.IsNullOrEmpty(Token))
        {
            return Page();
        }

        try
        {
            Confirmed = await Sender.Send(new VerifyStaffEmail(Token), ct);
        }
        catch (FluentValidation.ValidationException)
        {
            LinkDead = true; // the only field is the token: expired, replaced or used a moment ago elsewhere
        }

        return Page();
    }
}
