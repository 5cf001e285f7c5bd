using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Roster.Contracts;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.Staff;
using Booking.Tenancy.Features.StaffInvitation;
using Booking.Tenancy.Features.StaffPasswordReset;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>Setup → Team: who works here, their role and diaries (the staff API's commands).</summary>
public sealed class TeamModel(ISender sender, PasswordResetLimits resetLimits, StaffInvitationLimits invitationLimits) : StaffPageModel
{
    [BindProperty]
    public MemberInput Input { get; set; } = new();

    /// <summary>The member being edited (?edit=id); null for the add form.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Edit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    /// <summary>After <c>saved=email-sent</c>: the new address the confirmation link went to.</summary>
    [BindProperty(SupportsGet = true)]
    public string? SentTo { get; set; }

    /// <summary>After <c>saved=email-sent</c>: "yes" when it was the signed-in person's own email.</summary>
    [BindProperty(SupportsGet = true, Name = "self")]
    public string? Self { get; set; }

    /// <summary>Whether the form edits the signed-in person (it then asks for their current password to change the email).</summary>
    public bool EditingSelf => Edit == StaffId;

    /// <summary>The role of the member being edited before this form (null when adding): making them an owner asks a password.</summary>
    public string? EditedRole { get; private set; }

    /// <summary>
    /// Whether the form's role grants the Owner role (a new owner, or someone else made one), which needs the signed-in
    /// owner's password (decision 248): the box shows then, and <c>staff-team.js</c> shows it as soon as the Owner role is chosen.
    /// </summary>
    public bool GrantsOwner => Input.Role == StaffRoles.Owner && EditedRole != StaffRoles.Owner;

    /// <summary>
    /// Whether the member being edited is invited and has not chosen a password yet: a new email is theirs at once and gets
    /// a new invitation (decision 257), so the email box's hint says that instead of the confirmation link's words.
    /// </summary>
    public bool EditingInvited => Edit is { } id && Members.FirstOrDefault(m => m.Id == id)?.Invited == true;

    /// <summary>How long an invitation's link works, in days.</summary>
    public int InvitationDays => (int)invitationLimits.LinkLifetime.TotalDays;

    public IReadOnlyList<StaffMemberView> Members { get; private set; } = [];

    public IReadOnlyList<DiaryView> Diaries { get; private set; } = [];

    /// <summary>How long an emailed reset link works (the forgot-password link's lifetime).</summary>
    public int ResetLinkMinutes => (int)resetLimits.ResetLinkLifetime.TotalMinutes;

    /// <summary>Only owners add or change owners; admins are not offered the role.</summary>
    public IReadOnlyList<string> OfferedRoles => StaffRole == StaffRoles.Owner ? StaffRoles.Everyone : [StaffRoles.Admin, StaffRoles.Practitioner];

    /// <summary>
    /// Whether the signed-in person may edit or remove <paramref name="member"/>: owners anyone, admins anyone but an
    /// owner (the server refuses that too; the page just does not offer it).
    /// </summary>
    public bool MayChange(StaffMemberView member) => StaffRole == StaffRoles.Owner || member.Role != StaffRoles.Owner;

    /// <summary>?remove=id: the confirmation step for removing that member.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Remove { get; set; }

    /// <summary>Set on the confirmation step: the member to remove.</summary>
    public StaffMemberView? ConfirmRemove { get; private set; }

    public static string RemoveUrl(Guid id) => $"/staff/setup/team?remove={id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Edit is { } id)
        {
            var member = Members.FirstOrDefault(m => m.Id == id);
            if (member is null)
            {
                return Stopped(404, "Not found", "There is no such person on your team.");
            }

            if (!MayChange(member))
            {
                return Stopped(403, "Only an owner can change an owner", "Only an owner can change or remove owners. Ask an owner of the business.");
            }

            Input = new MemberInput { Name = member.Name, Email = member.Email, Role = member.Role, DiaryIds = [.. member.DiaryIds] };
            EditedRole = member.Role;
        }
        else if (Remove is { } removing)
        {
            var member = Members.FirstOrDefault(m => m.Id == removing);
            if (member is null)
            {
                return Stopped(404, "Not found", "There is no such person on your team.");
            }

            if (!MayChange(member))
            {
                return Stopped(403, "Only an owner can change an owner", "Only an owner can change or remove owners. Ask an owner of the business.");
            }

            if (member.Id == StaffId)
            {
                // Said before the button, not after it: the removal refuses it anyway (RemoveStaffMemberHandler).
                return Stopped(403, "You cannot remove yourself", "Nobody removes themselves from the team: ask another owner or admin to remove you.");
            }

            ConfirmRemove = member;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        ModelState.Clear();
        var actor = new StaffActor(StaffId, StaffRole);
        try
        {
            if (Edit is { } id)
            {
                var before = await sender.Send(new GetStaffMember(id), ct);
                var saved = await sender.Send(new UpdateStaffMember(actor, id, Input.Name, Input.Email, Input.Role, Input.DiaryIds, CurrentPassword: Input.CurrentPassword)
                {
                    CurrentSession = PostgresTicketStore.CurrentKey(HttpContext, AuthSchemes.Staff),
                }, ct);
                // Changing your own role ends your session: sign in again.
                if (id == StaffId && Input.Role != StaffRole)
                {
                    return Redirect("/staff/sign-in?name=" + Business.Slug);
                }

                // A new email is used only once the link sent to it is opened: the notice says where it went. Someone
                // invited has the new address at once, with a new invitation (decision 257).
                var typed = Input.Email?.Trim().ToLowerInvariant();
                if (typed != before.Email && before.Invited && saved.Invited && saved.Email == typed)
                {
                    return Redirect($"/staff/setup/team?saved=invitation-moved&sentTo={Uri.EscapeDataString(typed!)}");
                }

                return Redirect(typed != before.Email && saved.PendingEmail == typed
                    ? $"/staff/setup/team?saved=email-sent&sentTo={Uri.EscapeDataString(typed!)}&self={(id == StaffId ? "yes" : "no")}"
                    : "/staff/setup/team?saved=updated");
            }

            // An empty password box means "email them an invitation" (the API's password left out).
            var added = await sender.Send(new CreateStaffMember(actor, Input.Name, Input.Email, string.IsNullOrEmpty(Input.Password) ? null : Input.Password,
                Input.Role, Input.DiaryIds, Input.CurrentPassword)
            {
                CurrentSession = PostgresTicketStore.CurrentKey(HttpContext, AuthSchemes.Staff),
            }, ct);
            return Redirect(added.Invited ? $"/staff/setup/team?saved=invited&sentTo={Uri.EscapeDataString(added.Email)}" : "/staff/setup/team?saved=added");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, f => "Input." + (f.StartsWith("diaryIds", StringComparison.Ordinal) ? "DiaryIds" : char.ToUpperInvariant(f[0]) + f[1..])))
        {
            Input.Password = null;
            Input.CurrentPassword = null; // never echo a password back into the page
            await LoadAsync(ct);
            EditedRole = Edit is { } editing ? Members.FirstOrDefault(m => m.Id == editing)?.Role : null;
            return Page();
        }
    }

    /// <summary>
    /// Removes only from the confirmation step's form (<paramref name="confirmed"/> = yes); any other post (an old page's
    /// one-click button) is taken to that step first.
    /// </summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid id, string? confirmed, CancellationToken ct)
    {
        ModelState.Clear();
        if (confirmed != "yes")
        {
            return Redirect(RemoveUrl(id));
        }

        try
        {
            await sender.Send(new RemoveStaffMember(new StaffActor(StaffId, StaffRole), id), ct);
            return Redirect("/staff/setup/team?saved=removed");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return await RefusedAsync(ct);
        }
    }

    /// <summary>
    /// "Call off this change" beside a team member's change of sign-in email waiting for its link (as
    /// <c>DELETE /api/v1/admin/staff/{id}/pending-email</c>: an admin may not call off an owner's); the link ends at once.
    /// </summary>
    public async Task<IActionResult> OnPostCallOffAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var done = await sender.Send(new CallOffStaffEmailChange(new StaffActor(StaffId, StaffRole), id), ct);
            return Redirect(done.CalledOff is { } address
                ? $"/staff/setup/team?saved=called-off&sentTo={Uri.EscapeDataString(address)}"
                : "/staff/setup/team?saved=nothing-to-call-off");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return await RefusedAsync(ct);
        }
    }

    /// <summary>
    /// "Send password reset link": the forgot-password email for someone else on the team (as the API's route). Someone
    /// invited who has not chosen a password yet gets their invitation again instead (decision 257), and the notice says
    /// so, in the words of "Send the invitation again" (decision 265). Their row offers only that button; this answers
    /// a post made for them all the same (a form kept from elsewhere, a script) with what was really sent.
    /// </summary>
    public async Task<IActionResult> OnPostSendResetAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var sent = await sender.Send(new SendStaffPasswordReset(id, HttpContext.ClientIp(), StaffRole), ct);
            return Redirect(sent.Sent == StaffResetSent.Invitation
                ? $"/staff/setup/team?saved=invitation-sent&sentTo={Uri.EscapeDataString(sent.Email)}"
                : "/staff/setup/team?saved=reset-sent");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return await RefusedAsync(ct);
        }
    }

    /// <summary>
    /// "Send the invitation again" beside someone invited who has not chosen a password yet (as
    /// <c>POST /api/v1/admin/staff/{id}/send-invitation</c>): a new link, and the one in the earlier email stops working.
    /// </summary>
    public async Task<IActionResult> OnPostSendInvitationAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var sent = await sender.Send(new SendStaffInvitation(new StaffActor(StaffId, StaffRole), id), ct);
            return Redirect($"/staff/setup/team?saved=invitation-sent&sentTo={Uri.EscapeDataString(sent.Email)}");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return await RefusedAsync(ct);
        }
    }

    /// <summary>A refused row action (reset link, call-off, invitation): the list again with the refusal, no form open.</summary>
    private async Task<IActionResult> RefusedAsync(CancellationToken ct)
    {
        Edit = null;
        Remove = null;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Members = (await sender.Send(new ListStaff(), ct)).Items;
        Diaries = await sender.Send(new GetDiaries(null), ct);
    }

    public sealed class MemberInput
    {
        public string? Name { get; set; }

        public string? Email { get; set; }

        public string? Password { get; set; }

        /// <summary>The signed-in person's own password, asked when they change their own email or make someone an owner.</summary>
        public string? CurrentPassword { get; set; }

        public string? Role { get; set; } = StaffRoles.Practitioner;

        public List<Guid> DiaryIds { get; set; } = [];
    }
}
