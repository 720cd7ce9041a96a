import pytest
from tests.factories import ServiceFactory, ServiceFieldFactory
from workflows.actions import perform
from workflows.citizen_access import new_token
from workflows.actors import Actor

@pytest.mark.django_db
def test_probe(office_gitega):
    service = ServiceFactory()
    for n in range(5):
        ServiceFieldFactory(service=service, code=f"f{n}", position=n)
    raw, h = new_token()
    d = perform(None, "draft_started", None, service=service, office=office_gitega, language="fr", token_hash=h)
    holder = Actor.resume_link(d.pk)
    from workflows import online
    print(online.question_pages(service))
    perform(d.pk, "draft_saved", holder, page="questions-1", answers={"f0": "a", "f1": "b", "f2": "c"}, codes=["f0","f1","f2"], complete=True)
