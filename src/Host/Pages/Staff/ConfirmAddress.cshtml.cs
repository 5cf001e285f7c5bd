using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Features.Settings;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The page an extra address's or a diary contact's confirmation email links to: /staff/confirm-address?name=&amp;token=. Opening it changes
/// nothing (mail scanners open links); it asks, and only the posted answer (yes or no) confirms or declines the address.
/// For the person at the address, not staff: no sign-in, the business from <c>?name=</c> as the other entry pages.
/// </summary>
public sealed class ConfirmAddressModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    public const string Yes = "yes";
    public const string No = "no";

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Answer { get; set; }

    /// <summary>The address the link is for, while it is usable.</summary>
    public string? Address { get; private set; }

    /// <summary>The email asked about the address as a diary's contact (bookings and requests), not as an extra address.</summary>
    public bool ForDiaryContact { get; private set; }

    /// <summary>The link has been used, replaced by a newer one, has expired, or is not one of this business's.</summary>
    public bool LinkDead { get; private set; }

    /// <summary>After a post: "yes" (confirmed) or "no" (declined).</summary>
    public string? Answered { get; private set; }

    public string FormAction => $"{StaffUrl("/staff/confirm-address")}&token={Uri.EscapeDataString(Token ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct) && !string.IsNullOrEmpty(Token))
        {
            var link = await Sender.Send(new ReadAddressConfirmation(Token), ct);
            Address = link?.Address;
            ForDiaryContact = link?.ForDiaryContact == true;
            LinkDead = link is null;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || string.IsNullOrEmpty(Token))
        {
            return Page();
        }

        var link = await Sender.Send(new ReadAddressConfirmation(Token), ct);
        Address = link?.Address;
        ForDiaryContact = link?.ForDiaryContact == true;
        if (Address is null)
        {
            LinkDead = true;
            return Page();
        }

        if (Answer is not (Yes or No))
        {
            ModelState.AddModelError(nameof(Answer), "Choose yes or no.");
            return Page();
        }

        if (!await Sender.Send(new AnswerAddressConfirmation(Token, Answer == Yes), ct))
        {
            LinkDead = true; // answered a moment ago in another tab
            return Page();
        }

        Answered = Answer;
        return Page();
    }
}
