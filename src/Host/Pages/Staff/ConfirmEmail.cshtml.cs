using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.Staff;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The page a staff sign-in email change's link opens: /staff/confirm-email?name=&amp;token= (decision 232). Opening it
/// changes nothing (mail scanners open links); it asks, and only the posted confirmation (<see cref="ConfirmStaffEmail"/>,
/// as <c>POST /api/v1/staff/auth/confirm-email</c>) makes the address the sign-in email. No sign-in needed: the link
/// proves the address, and the change was asked from a signed-in session.
/// </summary>
public sealed class ConfirmEmailModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>The address the link makes the sign-in email, while it can.</summary>
    public string? NewEmail { get; private set; }

    /// <summary>The link was followed before: the address is the sign-in email already.</summary>
    public bool AlreadyDone { get; private set; }

    /// <summary>Set once the post made the change.</summary>
    public bool Done { get; private set; }

    public string FormAction => $"{StaffUrl("/staff/confirm-email")}&token={Uri.EscapeDataString(Token ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct) && !string.IsNullOrEmpty(Token))
        {
            var state = await Sender.Send(new CheckStaffEmailLink(Token), ct);
            NewEmail = state.NewEmail;
            AlreadyDone = state.AlreadyDone;
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
            var confirmed = await Sender.Send(new ConfirmStaffEmail(Token), ct);
            NewEmail = confirmed.Email;
            AlreadyDone = confirmed.AlreadyDone;
            Done = !confirmed.AlreadyDone;
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
        }

        return Page();
    }
}
