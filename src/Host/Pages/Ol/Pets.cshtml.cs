using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/pets ("My pets"): a signed-in client's pets on file, and "Add a pet" (AddMyPet, as POST /api/v1/portal/me/pets).
/// Each pet links to its edit page (/ol/pets/edit) and its remove page (/ol/pets/remove). Where the business does not
/// book for pets the page says so in a sentence (and the menu does not offer it).
/// </summary>
public sealed class PetsModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    [BindProperty]
    public PetInput Input { get; set; } = new();

    public IReadOnlyList<PortalPet> Pets { get; private set; } = [];

    /// <summary>What the last post here (or on a pet's edit or remove page) came to, said once (<see cref="PortalNotice"/>).</summary>
    public string? Notice { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Settings.BooksForPets)
        {
            Notice = Outcome(PortalNotice.Take(TempData, Business.Id), Business.Name);
            await LoadAsync(cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Settings.BooksForPets)
        {
            return Page();
        }

        try
        {
            var added = await Sender.Send(new AddMyPet(Input.Name, Input.Species, Input.Breed, Input.Notes) { ClientId = ClientId!.Value }, cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, added.Id, Added);
            return Redirect(PortalUrl("/ol/pets"));
        }
        catch (Exception ex) when (TryAddPetProblem(ModelState, ex))
        {
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public const string Added = "pet-added", Changed = "pet-changed", Removed = "pet-removed";

    public static string? Outcome(string? done, string business) => done switch
    {
        Added => "Your pet is added.",
        Changed => "Your changes are saved.",
        Removed => "The pet is removed from your details.",
        _ when done is not null && done.StartsWith(Removed + ":", StringComparison.Ordinal) => RemovedAndCancelled(done[(Removed.Length + 1)..], business),
        _ => null,
    };

    /// <summary>
    /// After removing a pet with "Also cancel these appointments" (the remove page's "cancelled,requested,left" counts):
    /// what each cancel came to under the business's policy, as the Cancel page would say it.
    /// </summary>
    private static string? RemovedAndCancelled(string counts, string business)
    {
        if (counts.Split(',') is not [var c, var r, var l] || !int.TryParse(c, out var cancelled) || !int.TryParse(r, out var requested)
            || !int.TryParse(l, out var left))
        {
            return null;
        }

        static string Appointments(int n) => n == 1 ? "1 appointment" : $"{n} appointments";
        var said = new List<string> { "The pet is removed from your details." };
        if (cancelled > 0)
        {
            said.Add($"{Appointments(cancelled)} cancelled.");
        }

        if (requested > 0)
        {
            said.Add($"Too close to cancel online: a cancellation request was sent to {business} for {Appointments(requested)}; they will let you know.");
        }

        if (left > 0)
        {
            said.Add($"{Appointments(left)} could not be cancelled online and still stand{(left == 1 ? "s" : "")}: please contact {business} about {(left == 1 ? "it" : "them")}.");
        }

        return string.Join(" ", said);
    }

    /// <summary>The sentence of My pets (and its edit and remove pages) where the business does not book for pets.</summary>
    public static string NotForPets(string business) =>
        $"{business} does not book appointments for pets, so there are no pet details to keep here.";

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Pets = (await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken)).Pets;

    /// <summary>
    /// The add and edit forms' refusals, with the field named where the message alone does not name it: "Notes: Use at
    /// most 2000 characters." in the error summary (and beside the field), as the new-client page's "Pet 2: …" does; "Enter
    /// the pet's name." and "You already have a pet called Rex…" say it already.
    /// </summary>
    public static bool TryAddPetProblem(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState, Exception ex)
    {
        if (!modelState.TryAdd(ex))
        {
            return false;
        }

        foreach (var (key, label) in FieldLabels)
        {
            if (modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0)
            {
                var messages = entry.Errors.Select(e => e.ErrorMessage).ToList();
                entry.Errors.Clear();
                foreach (var message in messages)
                {
                    modelState.AddModelError(key, Unnamed(message) ? $"{label}: {message}" : message);
                }
            }
        }

        return true;
    }

    private static readonly (string Key, string Label)[] FieldLabels =
        [("Input.Name", "Pet's name"), ("Input.Species", "Species"), ("Input.Breed", "Breed"), ("Input.Notes", "Notes")];

    /// <summary>A message that does not say which field it is about: a length, or one of the text rules' (decision 271).</summary>
    private static bool Unnamed(string message) =>
        message.StartsWith("Use at most ", StringComparison.Ordinal)
        || message is Booking.BuildingBlocks.Security.OneLineText.LineMessage or Booking.BuildingBlocks.Security.OneLineText.FormatMessage
            or Booking.BuildingBlocks.Security.OneLineText.ControlMessage or Booking.BuildingBlocks.Security.OneLineText.BlankMessage;

    /// <summary>A pet's fields as the add and edit forms post them.</summary>
    public sealed class PetInput
    {
        public string? Name { get; set; }

        public string? Species { get; set; }

        public string? Breed { get; set; }

        public string? Notes { get; set; }
    }
}
