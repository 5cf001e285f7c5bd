using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.StaffInvitation;
using Booking.Tenancy.Features.StaffPasswordReset;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The page the StaffInvited email links to: /staff/accept-invitation?name=&amp;token= (decision 248). Opening it changes
/// nothing; its form sets the invited person's first password through the reset links' redeem, which proves the address.
/// A link that cannot be used says why (accepted, sent again since, expired, not ours).
/// </summary>
public sealed class AcceptInvitationModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public bool Done { get; private set; }

    /// <summary>The link's state (who it is for while usable; why not otherwise).</summary>
    public StaffInvitationCheck Invitation { get; private set; } = StaffInvitationCheck.Unknown;

    public string FormAction => $"{StaffUrl(StaffInvitations.AcceptPath)}&token={Uri.EscapeDataString(Token ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct))
        {
            Invitation = await Sender.Send(new CheckStaffInvitation(Token), ct);
        }
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Page();
        }

        Invitation = await Sender.Send(new CheckStaffInvitation(Token), ct); // for the form again after a refused password
        var outcome = await ResetPasswordPost.SendAsync(ModelState, Token,
            async () => devices.Keep(HttpContext, DeviceArea.Staff, (await Sender.Send(new ResetStaffPassword(Token, Input.NewPassword), ct)).DeviceToken),
            async token => (await Sender.Send(new CheckStaffInvitation(token), ct)).IsUsable);
        Done = outcome == ResetPasswordOutcome.Done;
        if (outcome == ResetPasswordOutcome.LinkDead)
        {
            ModelState.Remove(string.Empty); // the page says why in its own place
            Invitation = await Sender.Send(new CheckStaffInvitation(Token), ct);
        }

        Input.NewPassword = null;
        return Page();
    }

    public sealed class PasswordInput
    {
        [Display(Name = "Choose a password")]
        public string? NewPassword { get; set; }
    }
}
