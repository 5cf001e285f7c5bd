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
            Notice = Outcome(PortalNotice.Take(TempData, Business.Id));
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
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public const string Added = "pet-added", Changed = "pet-changed", Removed = "pet-removed";

    public static string? Outcome(string? done) => done switch
    {
        Added => "Your pet is added.",
        Changed => "Your changes are saved.",
        Removed => "The pet is removed from your details.",
        _ => null,
    };

    /// <summary>The sentence of My pets (and its edit and remove pages) where the business does not book for pets.</summary>
    public static string NotForPets(string business) =>
        $"{business} does not book appointments for pets, so there are no pet details to keep here.";

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Pets = (await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken)).Pets;

    /// <summary>A pet's fields as the add and edit forms post them.</summary>
    public sealed class PetInput
    {
        public string? Name { get; set; }

        public string? Species { get; set; }

        public string? Breed { get; set; }

        public string? Notes { get; set; }
    }
}
