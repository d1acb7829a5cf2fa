"""SQLAlchemy tables of the catalogue database (schemes, territories, contacts).

The database is built from the reviewed YAML and CSV files under ``data/`` by
``bot.loader``; SQLite is the default, any SQLAlchemy URL works through
``DATABASE_URL`` (PostgreSQL for a multi-replica deployment).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()


class Departement(Base):
    __tablename__ = "departements"
    code = Column(String(3), primary_key=True)
    nom = Column(String(80), nullable=False)


class Commune(Base):
    __tablename__ = "communes"
    insee = Column(String(5), primary_key=True)
    nom = Column(String(120), nullable=False, index=True)
    departement = Column(String(3), ForeignKey("departements.code"), nullable=False, index=True)
    codes_postaux = Column(String(120), nullable=False)
    epci_siren = Column(String(9), nullable=True, index=True)
    epci_nom = Column(String(200), nullable=True)
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    population = Column(Integer, nullable=True)


class Scheme(Base):
    __tablename__ = "schemes"
    id = Column(String(80), primary_key=True)
    title = Column(String(200), nullable=False)
    summary = Column(Text, nullable=False)
    level = Column(String(20), nullable=False)
    axis = Column(String(40), nullable=False)
    priority = Column(Integer, nullable=False, default=50)
    needs = Column(JSON, nullable=False)
    amount = Column(JSON, nullable=True)
    how_to_apply = Column(JSON, nullable=False)
    documents = Column(JSON, nullable=False)
    source = Column(String(500), nullable=False)
    checked = Column(String(10), nullable=True)  # None: not verified, see to_confirm_with
    to_confirm_with = Column(String(300), nullable=True)
    national_channel = Column(Boolean, nullable=False, default=False)
    proofs = Column(JSON, nullable=False, default=list)
    first_when = Column(JSON, nullable=True)
    verification = Column(Text, nullable=True)
    names = Column(JSON, nullable=False, default=list)
    territories = relationship("SchemeTerritory", cascade="all, delete-orphan", lazy="selectin")
    conditions = relationship(
        "SchemeCondition", cascade="all, delete-orphan", order_by="SchemeCondition.position", lazy="selectin"
    )


class SchemeTerritory(Base):
    __tablename__ = "scheme_territories"
    id = Column(Integer, primary_key=True, autoincrement=True)
    scheme_id = Column(String(80), ForeignKey("schemes.id"), nullable=False, index=True)
    level = Column(String(20), nullable=False)
    code = Column(String(12), nullable=True)
    excluded = Column(Boolean, nullable=False, default=False)


class SchemeCondition(Base):
    __tablename__ = "scheme_conditions"
    id = Column(Integer, primary_key=True, autoincrement=True)
    scheme_id = Column(String(80), ForeignKey("schemes.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    spec = Column(JSON, nullable=False)


class Contact(Base):
    __tablename__ = "contacts"
    id = Column(String(80), primary_key=True)
    type = Column(String(40), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    address = Column(String(300), nullable=True)
    commune_insee = Column(String(5), nullable=True, index=True)
    departement = Column(String(3), nullable=True, index=True)
    latitude = Column(Float, nullable=True)
    longitude = Column(Float, nullable=True)
    phone = Column(String(40), nullable=True)
    email = Column(String(200), nullable=True)
    web = Column(String(500), nullable=True)
    hours = Column(JSON, nullable=True)
    appointment = Column(String(200), nullable=True)
    needs = Column(JSON, nullable=True)
    national = Column(Boolean, nullable=False, default=False)
    note = Column(Text, nullable=True)
    source = Column(String(500), nullable=False)
    checked = Column(String(10), nullable=True)  # None: not verified (« à confirmer »)


class BuildInfo(Base):
    __tablename__ = "build_info"
    key = Column(String(40), primary_key=True)
    value = Column(Text, nullable=False)
